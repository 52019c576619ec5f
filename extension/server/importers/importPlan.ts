// Turns the paths a user gave into import units. Most files are a unit of their own; some formats
// spread one conversation over several files, which are read together whichever of them was named:
// a Cline/Roo task folder (api_conversation_history.json + ui_messages.json), a Cline 4 SDK session
// (<id>.messages.json + <id>.json), Aider's .aider.chat.history.md + .aider.input.history.
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { sdkManifestPath } from './cline/clineTaskReader';
import { detectFile, type ReaderKind } from './formatDetection';
import type { ImportFormat } from './importReport';

export interface ImportUnit {
  key: string;
  kind: ReaderKind;
  format: ImportFormat;
  /** The path as the user (or discovery) named it; the report row carries it. */
  given: string;
  /** Files read, the primary one first. */
  files: string[];
  parsed: Map<string, unknown>;
  empty: boolean;
}

export interface PlanFailure { path: string; format?: ImportFormat; error: string }

const WALK_DEPTH = 10;
const KEEP_PARSED_BYTES = 64 * 1024 * 1024;
const CANDIDATE = /(\.jsonl|\.json|^\.aider\.chat\.history\.md|^\.aider\.input\.history|\.vscdb|^opencode(-[\w.-]+)?\.db)$/;
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'contents', 'chatEditingSessions', 'checkpoints']);

/** Files under a folder that could be transcripts; detection decides which really are. */
export async function walkCandidates(dir: string, depth = 0): Promise<string[]> {
  if (depth > WALK_DEPTH) return [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) found.push(...await walkCandidates(full, depth + 1));
    else if (entry.isFile() && CANDIDATE.test(entry.name)) found.push(full);
  }
  return found;
}

function companionsOf(path: string, kind: ReaderKind): { key: string; files: string[] } {
  const dir = dirname(path);
  const present = (name: string): string | undefined => (existsSync(join(dir, name)) ? join(dir, name) : undefined);
  switch (kind) {
    case 'cline-task': {
      const files = [present('api_conversation_history.json'), present('ui_messages.json')].filter((p): p is string => p !== undefined);
      return { key: `task:${dir}`, files: files.length > 0 ? files : [path] };
    }
    case 'aider-history':
    case 'aider-input': {
      const history = present('.aider.chat.history.md');
      const input = present('.aider.input.history');
      return { key: `aider:${dir}`, files: [history ?? path, ...(input && history ? [input] : [])] };
    }
    case 'droid-session': {
      const settings = path.replace(/\.jsonl$/, '.settings.json');
      return { key: `file:${path}`, files: settings !== path && existsSync(settings) ? [path, settings] : [path] };
    }
    case 'cline-sdk-messages': {
      const manifest = sdkManifestPath(path);
      return { key: `sdk:${path}`, files: existsSync(manifest) ? [path, manifest] : [path] };
    }
    default:
      return { key: `file:${path}`, files: [path] };
  }
}

export async function planImport(paths: string[], forced: ImportFormat | undefined): Promise<{ units: ImportUnit[]; failures: PlanFailure[] }> {
  const units = new Map<string, ImportUnit>();
  const failures: PlanFailure[] = [];
  let keptBytes = 0;
  for (const given of paths) {
    const absolute = resolve(given);
    let info;
    try {
      info = await stat(absolute);
    } catch (error) {
      failures.push({ path: given, format: forced, error: `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      continue;
    }
    const walked = info.isDirectory();
    const files = walked ? await walkCandidates(absolute) : [absolute];
    for (const file of files) {
      const detection = await detectFile(file, forced);
      if (!detection.ok) {
        if (!walked) failures.push({ path: given, format: detection.format, error: detection.error });
        continue;
      }
      // An SDK manifest whose messages file sits beside it is read with that file instead.
      if (detection.kind === 'cline-sdk-manifest' && walked && existsSync(file.replace(/\.json$/, '.messages.json'))) continue;
      const { key, files: unitFiles } = companionsOf(file, detection.kind);
      if (units.has(key)) continue;
      // Documents parsed during detection are kept for the import only up to a budget: a folder of
      // many large JSON files must not all sit in memory before the first is imported.
      const parsed = new Map<string, unknown>();
      if (detection.document !== undefined) {
        const size = (await stat(file)).size;
        if (keptBytes + size <= KEEP_PARSED_BYTES) {
          parsed.set(file, detection.document);
          keptBytes += size;
        }
      }
      units.set(key, {
        key, kind: detection.kind, format: detection.format, given: walked ? file : given,
        files: unitFiles, parsed, empty: detection.empty === true,
      });
    }
  }
  return { units: [...units.values()], failures };
}
