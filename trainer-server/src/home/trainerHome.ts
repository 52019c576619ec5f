// The trainer's home folder (default ~/.autodidact-trainer): the access token, datasets, the gateway's
// capture buffer, the fallback model, and one lineage folder per base model. Adapters trained on one
// base never load onto another, so each base model keeps its own versions, rounds and adapters.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface TrainerHome {
  root: string;
  tokenFile: string;
  datasetsDir: string;
  captureDir: string;
  tinyFallbackDir: string;
}

export interface LineagePaths {
  dir: string;
  registryFile: string;
  roundsDir: string;
  adaptersDir: string;
}

export function defaultHomeDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.AUTODIDACT_TRAINER_HOME ?? path.join(os.homedir(), '.autodidact-trainer');
}

export function openTrainerHome(root: string): TrainerHome {
  const resolved = path.resolve(root);
  fs.mkdirSync(resolved, { recursive: true, mode: 0o700 });
  return {
    root: resolved,
    tokenFile: path.join(resolved, 'token'),
    datasetsDir: path.join(resolved, 'datasets'),
    captureDir: path.join(resolved, 'capture'),
    tinyFallbackDir: path.join(resolved, 'models', 'tiny-fallback'),
  };
}

/** A readable, collision-free folder name for a base model id or local path. */
export function lineageSlug(baseModelId: string): string {
  const readable = baseModelId.replace(/[^A-Za-z0-9._-]+/g, '--').replace(/^-+|-+$/g, '').slice(-60) || 'model';
  const digest = createHash('sha256').update(baseModelId).digest('hex').slice(0, 8);
  return `${readable}-${digest}`;
}

export function lineagePaths(home: TrainerHome, baseModelId: string): LineagePaths {
  const dir = path.join(home.root, 'lineages', lineageSlug(baseModelId));
  return {
    dir,
    registryFile: path.join(dir, 'versions.json'),
    roundsDir: path.join(dir, 'rounds'),
    adaptersDir: path.join(dir, 'adapters'),
  };
}
