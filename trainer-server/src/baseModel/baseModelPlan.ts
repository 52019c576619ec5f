// Which base model to load. Users get a real small instruct model from the model hub; where no hub
// can be reached (offline machines, CI, AUTODIDACT_OFFLINE=1 or HF_HUB_OFFLINE=1) the server falls back
// to a tiny model built locally and says so. The hub check is one short request, so an offline start
// costs seconds, not a hanging download.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_BASE_MODEL = 'Qwen/Qwen2.5-Coder-0.5B-Instruct';
export const HUB_PROBE_TIMEOUT_MS = 3000;

export type BaseModelPlan =
  | { kind: 'load'; model: string; localFilesOnly: boolean; offline: boolean }
  | { kind: 'fallback'; reason: string };

export type HubProbe = (modelId: string, timeoutMs: number) => Promise<{ ok: true } | { ok: false; reason: string }>;

const TRUE_VALUES = new Set(['1', 'true', 'yes', 'on']);

export function offlineReason(env: NodeJS.ProcessEnv): string | undefined {
  for (const name of ['AUTODIDACT_OFFLINE', 'HF_HUB_OFFLINE', 'TRANSFORMERS_OFFLINE']) {
    if (TRUE_VALUES.has(String(env[name] ?? '').toLowerCase())) return `offline mode (${name}=${env[name]})`;
  }
  return undefined;
}

function hubCacheDir(env: NodeJS.ProcessEnv): string {
  if (env.HF_HUB_CACHE) return env.HF_HUB_CACHE;
  return path.join(env.HF_HOME ?? path.join(os.homedir(), '.cache', 'huggingface'), 'hub');
}

/** True when the hub cache already holds a snapshot of the model, so it loads without any network. */
export function isInHubCache(modelId: string, env: NodeJS.ProcessEnv): boolean {
  const snapshots = path.join(hubCacheDir(env), `models--${modelId.replace(/\//g, '--')}`, 'snapshots');
  try {
    return fs.readdirSync(snapshots).length > 0;
  } catch {
    return false;
  }
}

export const probeHub: HubProbe = async (modelId, timeoutMs) => {
  const endpoint = (process.env.HF_ENDPOINT ?? 'https://huggingface.co').replace(/\/$/, '');
  try {
    const response = await fetch(`${endpoint}/api/models/${modelId}`, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
    if (response.ok) return { ok: true };
    return { ok: false, reason: `the model hub answered ${response.status} for ${modelId}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : cause?.code ?? cause?.message ?? (error as Error).message;
    return { ok: false, reason: `the model hub (${endpoint}) cannot be reached: ${detail}` };
  }
};

export async function planBaseModel(requested: string, env: NodeJS.ProcessEnv, probe: HubProbe = probeHub): Promise<BaseModelPlan> {
  const asPath = path.resolve(requested);
  if (fs.existsSync(asPath) && fs.statSync(asPath).isDirectory()) {
    return { kind: 'load', model: asPath, localFilesOnly: true, offline: true };
  }
  if (requested.startsWith('.') || requested.startsWith('/')) {
    return { kind: 'fallback', reason: `base model folder ${asPath} does not exist` };
  }
  const cached = isInHubCache(requested, env);
  const offline = offlineReason(env);
  if (offline) {
    return cached ? { kind: 'load', model: requested, localFilesOnly: true, offline: true } : { kind: 'fallback', reason: `${offline}, and ${requested} is not in the local hub cache` };
  }
  if (cached) return { kind: 'load', model: requested, localFilesOnly: true, offline: false };
  const answer = await probe(requested, HUB_PROBE_TIMEOUT_MS);
  return answer.ok ? { kind: 'load', model: requested, localFilesOnly: false, offline: false } : { kind: 'fallback', reason: answer.reason };
}
