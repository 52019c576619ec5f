// Round manifests, one JSON file per round in the lineage's rounds/ folder, rewritten atomically at
// every state change so the receipt on disk is always the latest whole state.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RoundManifest } from '../../../extension/protocol/trainerProtocol';
import { readJsonIfExists, writeJsonAtomic } from '../home/atomicFile';

const ROUND_FILE = /^round-(\d+)\.json$/;

export class RoundStore {
  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  write(manifest: RoundManifest): void {
    writeJsonAtomic(this.fileOf(manifest.roundId), manifest);
  }

  read(roundId: string): RoundManifest | undefined {
    if (!/^round-\d+$/.test(roundId)) return undefined;
    return readJsonIfExists<RoundManifest>(this.fileOf(roundId));
  }

  list(): RoundManifest[] {
    return fs.readdirSync(this.dir)
      .filter((name) => ROUND_FILE.test(name))
      .sort()
      .map((name) => readJsonIfExists<RoundManifest>(path.join(this.dir, name)))
      .filter((m): m is RoundManifest => m !== undefined);
  }

  /** One past the highest round number on disk, so ids stay unique even if the registry lags. */
  nextFreeNumber(): number {
    const numbers = fs.readdirSync(this.dir).map((name) => Number(ROUND_FILE.exec(name)?.[1] ?? 0));
    return Math.max(0, ...numbers) + 1;
  }

  /** Rounds left queued or running by a server that stopped: they did not finish and never will. */
  failInterrupted(now = Date.now()): RoundManifest[] {
    const interrupted = this.list().filter((m) => m.state === 'queued' || m.state === 'running');
    for (const manifest of interrupted) {
      this.write({
        ...manifest, state: 'failed',
        error: `the trainer-server stopped while this round was ${manifest.state} (phase ${manifest.phase}); the live version did not change`,
        decision: { promoted: false, reason: 'interrupted' },
        timings: { ...manifest.timings, endedAt: now },
      });
    }
    return interrupted;
  }

  private fileOf(roundId: string): string {
    return path.join(this.dir, `${roundId}.json`);
  }
}
