// Exporting a version as a folder `ollama create` reads: Modelfile + adapter/ (the PEFT safetensors
// adapter). The trainer-server builds the bundle (it owns the registry and the weights) and sends it
// over the trainer protocol; the CLI writes it where the user asked, checking every file's SHA-256.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { VersionExport } from '../../../../extension/protocol/trainerProtocol';
import { modelfileText, OllamaExportError, type OllamaModelPlan } from './ollamaModel';

export const ADAPTER_SUBDIR = 'adapter';

/** File paths are relative to the export folder. */
export type OllamaExportBundle = VersionExport;

export function ollamaExportBundle(plan: OllamaModelPlan): OllamaExportBundle {
  // A GGUF LoRA is one file the ADAPTER line names; a safetensors adapter is a folder.
  const gguf = plan.adapterFiles.length === 1 && plan.adapterFiles[0].name.endsWith('.gguf');
  const pathOf = (name: string): string => (gguf ? name : `${ADAPTER_SUBDIR}/${name}`);
  return {
    tag: plan.tag, from: plan.from, warnings: plan.warnings,
    modelfile: modelfileText(plan, gguf ? `./${plan.adapterFiles[0].name}` : `./${ADAPTER_SUBDIR}`),
    files: plan.adapterFiles.map((f) => ({ path: pathOf(f.name), sha256: f.sha256, base64: fs.readFileSync(f.source).toString('base64') })),
  };
}

/** Writes the bundle into `outDir` (created; it must be empty so nothing of the user's is overwritten). */
export function writeOllamaExport(bundle: OllamaExportBundle, outDir: string): { dir: string; written: string[] } {
  const dir = path.resolve(outDir);
  if (fs.existsSync(dir) && (!fs.statSync(dir).isDirectory() || fs.readdirSync(dir).length > 0)) {
    throw new OllamaExportError(`${dir} exists and is not an empty folder; choose a new folder for the export`);
  }
  const contents = bundle.files.map((file) => {
    const target = path.resolve(dir, file.path);
    if (!target.startsWith(dir + path.sep)) throw new OllamaExportError(`refusing to write ${file.path} outside ${dir}`);
    const bytes = Buffer.from(file.base64, 'base64');
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== file.sha256) throw new OllamaExportError(`${file.path} arrived with SHA-256 ${actual}, expected ${file.sha256}; nothing was written`);
    return { target, bytes };
  });
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const { target, bytes } of contents) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes);
    written.push(target);
  }
  const modelfile = path.join(dir, 'Modelfile');
  fs.writeFileSync(modelfile, bundle.modelfile);
  written.push(modelfile);
  return { dir, written };
}
