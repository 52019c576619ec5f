// Drives a vLLM server through its runtime LoRA API, so promotion and rollback reach a server that
// scales out beyond the engine: POST /v1/load_lora_adapter {lora_name, lora_path} and
// POST /v1/unload_lora_adapter {lora_name}. vLLM only has these routes when started with
// VLLM_ALLOW_RUNTIME_LORA_UPDATING=True (and --enable-lora); without it they answer 404.
// SGLang (flavor 'sglang') has the same API without the /v1 prefix: POST /load_lora_adapter and
// /unload_lora_adapter, answering {success, error_message, loaded_adapters}.
import type { AdapterDriver } from './adapterDriver';

export interface VllmDriverOptions {
  baseUrl: string;
  flavor?: 'vllm' | 'sglang';
  apiKey?: string;
  /** Adapter folders as the vLLM machine sees them, when it mounts the trainer home elsewhere. */
  mapPath?: (trainerPath: string) => string;
  timeoutMs?: number;
}

export class VllmApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export class VllmAdapterDriver implements AdapterDriver {
  readonly label: string;
  private readonly loaded = new Set<string>();
  private readonly prefix: string;

  constructor(private readonly options: VllmDriverOptions) {
    this.label = options.flavor ?? 'vllm';
    this.prefix = options.flavor === 'sglang' ? '' : '/v1';
  }

  isLoaded(adapter: string): boolean {
    return this.loaded.has(adapter);
  }

  async load(adapter: string, adapterPath: string): Promise<void> {
    const lora_path = this.options.mapPath ? this.options.mapPath(adapterPath) : adapterPath;
    const response = await this.post(`${this.prefix}/load_lora_adapter`, { lora_name: adapter, lora_path });
    // Versioned names always mean the same weights, so "already loaded" (after our own restart) is success.
    if (!response.ok && !(response.status === 400 && /already (been )?(loaded|added|exists)/i.test(response.message))) {
      throw new VllmApiError(response.status, `${this.label} could not load ${adapter} from ${lora_path}: ${response.message}`);
    }
    this.loaded.add(adapter);
  }

  async unload(adapter: string): Promise<void> {
    const response = await this.post(`${this.prefix}/unload_lora_adapter`, { lora_name: adapter });
    if (!response.ok && response.status !== 404) {
      throw new VllmApiError(response.status, `${this.label} could not unload ${adapter}: ${response.message}`);
    }
    this.loaded.delete(adapter);
  }

  /** The adapters vLLM lists in /v1/models (each LoRA card names its parent model). */
  async listAdapters(): Promise<string[]> {
    const response = await fetch(`${this.base()}/v1/models`, { headers: this.headers(), signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    const body = (await response.json()) as { data?: Array<{ id: string; parent?: string | null }> };
    return (body.data ?? []).filter((card) => card.parent).map((card) => card.id);
  }

  private async post(route: string, body: Record<string, string>): Promise<{ ok: boolean; status: number; message: string }> {
    let response: Response;
    try {
      response = await fetch(`${this.base()}${route}`, {
        method: 'POST', headers: { ...this.headers(), 'content-type': 'application/json' }, body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
      });
    } catch (error) {
      throw new VllmApiError(0, `vLLM at ${this.base()} cannot be reached: ${(error as Error).message}`);
    }
    const text = await response.text();
    if (response.status === 404 && isRouteMissing(text)) {
      throw new VllmApiError(404, this.label === 'sglang'
        ? `SGLang at ${this.base()} has no ${route}; start it with --enable-lora (and --max-lora-rank, --lora-target-modules)`
        : `vLLM at ${this.base()} has no ${route}; start it with VLLM_ALLOW_RUNTIME_LORA_UPDATING=True and --enable-lora`);
    }
    const failed = sglangFailure(text);
    return failed === undefined ? { ok: response.ok, status: response.status, message: errorMessageOf(text) } : { ok: false, status: response.ok ? 400 : response.status, message: failed };
  }

  private base(): string {
    return this.options.baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  }

  private headers(): Record<string, string> {
    return this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {};
  }
}

/** vLLM answers errors as {message, type, code} (older) or {error: {message, ...}} (newer), success as text. */
function errorMessageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: string; error?: { message?: string } };
    return parsed.error?.message ?? parsed.message ?? text;
  } catch {
    return text;
  }
}

/** SGLang answers {success: false, error_message} (sometimes with status 200) when a load or unload failed. */
function sglangFailure(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { success?: unknown; error_message?: unknown };
    return parsed.success === false ? String(parsed.error_message ?? 'failed') : undefined;
  } catch {
    return undefined;
  }
}

/** FastAPI's own 404 for a route that does not exist is {"detail": "Not Found"}; vLLM's errors carry a message. */
function isRouteMissing(text: string): boolean {
  try {
    const parsed = JSON.parse(text) as { detail?: unknown; message?: unknown; error?: unknown };
    return parsed.detail !== undefined && parsed.message === undefined && parsed.error === undefined;
  } catch {
    return true;
  }
}
