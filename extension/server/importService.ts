// Imports for the editor: named files, or every assistant's standard locations (plus Aider's files
// in the open workspace folders). Events go through the store's journal like any capture.
import { homedir } from 'node:os';
import { discoverSources } from './importers/discoverSources';
import { importFiles } from './importers/importFiles';
import type { ImportFormat, ImportReport } from './importers/importReport';
import type { AutodidactStore } from './store/autodidactStore';

export interface ImportServiceOptions {
  paths?: string[];
  format?: string;
  workspaceFolders?: string[];
  onProgress?: (progress: { path: string; done: number; total: number }) => void;
}

export async function runImport(store: AutodidactStore, options: ImportServiceOptions): Promise<ImportReport> {
  const format = (options.format ?? 'auto') as ImportFormat | 'auto';
  const paths = options.paths?.length
    ? options.paths
    : discoverSources(process.env, homedir(), process.platform, options.workspaceFolders ?? [])
      .filter((source) => format === 'auto' || source.format === format)
      .map((source) => source.path);
  let done = 0;
  return importFiles(paths, {
    format,
    store,
    onFile: (file) => options.onProgress?.({ path: file.path, done: ++done, total: paths.length }),
  });
}
