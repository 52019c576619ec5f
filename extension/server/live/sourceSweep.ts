// A slow look over every watched location: which candidate transcript files are new or changed
// since the last look. It is the polling fallback where file-system watching is unavailable, and
// a safety net where it is (watchers can miss a folder created after they started).
import { stat } from 'node:fs/promises';
import { walkCandidates } from '../importers/importPlan';
import type { DiscoveredSource } from '../importers/discoverSources';

interface Seen { size: number; mtimeMs: number }

export class SourceSweep {
  private readonly seen = new Map<string, Seen>();

  /** Files of `sources` new or changed since the previous call. The first call only takes note. */
  async changed(sources: ReadonlyArray<Pick<DiscoveredSource, 'path'>>, first: boolean): Promise<string[]> {
    const files: string[] = [];
    for (const source of sources) {
      const isDir = await stat(source.path).then((s) => s.isDirectory(), () => false);
      files.push(...(isDir ? await walkCandidates(source.path) : [source.path]));
    }
    return this.compare(files, first);
  }

  /** Of these files, the ones whose size or modification time moved. */
  async compare(files: readonly string[], first = false): Promise<string[]> {
    const moved: string[] = [];
    for (const file of files) {
      let info;
      try {
        info = await stat(file);
      } catch {
        this.seen.delete(file);
        continue;
      }
      const before = this.seen.get(file);
      if (!first && (!before || before.size !== info.size || before.mtimeMs !== info.mtimeMs)) moved.push(file);
      this.seen.set(file, { size: info.size, mtimeMs: info.mtimeMs });
    }
    return moved;
  }

  /** Note a file's current state after it was imported on a watcher's word, so the sweep does not re-import it. */
  async note(file: string): Promise<void> {
    await this.compare([file]);
  }
}
