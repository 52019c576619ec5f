// Versions as Ollama models. "Loading" adapter autodidact-v1.2 means: upload adapter_config.json and
// adapter_model.safetensors as blobs (skipped when Ollama already holds that digest), then POST
// /api/create {model: "autodidact:v1.2", from: <base>, adapters: {file: digest}, template, system,
// parameters}. "Unloading" deletes the tag. ServedVersions calls these on promotion and rollback and
// unloads a version only once no request holds it, so a tag is never deleted under a running request.
// v1.0 (the base, no adapter) becomes autodidact:v1.0 on first use, with the same template.
import type { BaseModelInfo, VersionRecord } from '../../../../extension/protocol/trainerProtocol';
import type { LogFn } from '../../engineClient/engineSupervisor';
import type { AdapterDriver } from '../adapterDriver';
import type { OllamaApi } from './ollamaApi';
import { createParameters, ollamaTagOf, planOllamaModel, sha256File, type OllamaAdapterFile, type OllamaModelPlan } from './ollamaModel';

/** Converts a PEFT adapter folder to one GGUF LoRA file (serving/llamaCpp/ggufLoraFiles.ts does, with the base's GGUF). */
export interface GgufLoraSource {
  fileFor(adapter: string, adapterPath: string): Promise<string>;
}

export interface OllamaDriverOptions {
  api: OllamaApi;
  baseModel: BaseModelInfo;
  /** The Ollama model with the base's weights (FROM); default: the known library name for the base. */
  from?: string;
  log: LogFn;
  env?: NodeJS.ProcessEnv;
  /** Send adapters as GGUF LoRA files (needed for bases whose safetensors adapters Ollama cannot convert). */
  ggufLora?: GgufLoraSource;
}

export class OllamaAdapterDriver implements AdapterDriver {
  readonly label = 'ollama';
  /** Gateway model names (autodidact-v1.2) whose tag exists in Ollama. */
  private readonly created = new Set<string>();
  private readonly warned = new Set<string>();
  private baseCreation: Promise<void> | undefined;
  private stops: string[] = [];

  constructor(private readonly options: OllamaDriverOptions) {}

  /** The PARAMETER stop values of the models created (the chat template's end-of-turn markers). */
  get templateStops(): string[] {
    return this.stops;
  }

  isLoaded(adapter: string): boolean {
    return this.created.has(adapter);
  }

  async load(adapter: string, adapterPath: string): Promise<void> {
    await this.createModel(adapter, adapterPath);
  }

  async unload(adapter: string): Promise<void> {
    // Forgotten first, so no new request is routed to a tag that is being deleted.
    this.created.delete(adapter);
    await this.options.api.delete(ollamaTagOf(adapter));
  }

  /** Creates autodidact:v1.0 (the base with the trained-on template) once; concurrent callers share it. */
  ensureBase(baseModelName: string): Promise<void> {
    if (this.created.has(baseModelName)) return Promise.resolve();
    this.baseCreation ??= this.createModel(baseModelName, null).finally(() => { this.baseCreation = undefined; });
    return this.baseCreation;
  }

  /** Ollama lost a tag (it restarted with another models folder, or someone deleted it): forget it. */
  forget(adapter: string): void {
    this.created.delete(adapter);
  }

  private async createModel(modelName: string, adapterPath: string | null): Promise<void> {
    const version: VersionRecord = {
      name: modelName.replace(/^autodidact-/, ''), model: modelName, adapterPath, adapterSha256: null,
      parent: null, roundId: null, createdAt: 0, metrics: null,
    };
    // ServedVersions checked the weights against the registry before calling load.
    const plan = planOllamaModel(version, this.options.baseModel, this.options.from, this.options.env, this.options.ggufLora !== undefined);
    this.warnOnce(plan);
    if (this.options.ggufLora && adapterPath) plan.adapterFiles = [await ggufAdapterFile(this.options.ggufLora, modelName, adapterPath)];
    this.stops = plan.format?.stops ?? [];
    const adapters: Record<string, string> = {};
    for (const file of plan.adapterFiles) {
      const digest = `sha256:${file.sha256}`;
      if (!(await this.options.api.hasBlob(digest))) await this.options.api.pushBlob(digest, file.source);
      adapters[file.name] = digest;
    }
    const parameters = createParameters(plan);
    await this.options.api.create({
      model: plan.tag, from: plan.from,
      ...(plan.adapterFiles.length ? { adapters } : {}),
      ...(plan.format ? { template: plan.format.template } : {}),
      ...(plan.format?.system !== undefined ? { system: plan.format.system } : {}),
      ...(parameters ? { parameters } : {}),
    });
    this.created.add(modelName);
    this.options.log('info', `ollama: created ${plan.tag} from ${plan.from}${plan.adapterFiles.length ? ' with its adapter' : ''}`);
  }

  private warnOnce(plan: OllamaModelPlan): void {
    for (const warning of plan.warnings) {
      if (this.warned.has(warning)) continue;
      this.warned.add(warning);
      this.options.log('warn', `ollama: ${warning}`);
    }
  }
}

/** The adapter as one GGUF LoRA file; Ollama tells the format by the file (GGUF magic), the name says it too. */
export async function ggufAdapterFile(source: GgufLoraSource, modelName: string, adapterPath: string): Promise<OllamaAdapterFile> {
  const file = await source.fileFor(modelName, adapterPath);
  return { name: 'adapter.gguf', source: file, sha256: sha256File(file) };
}
