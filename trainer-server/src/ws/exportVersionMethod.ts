// exportVersion {version, format: 'ollama', from?}: the version as a folder for `ollama create`
// (Modelfile + its adapter files), built where the registry and the weights are. `from` defaults to
// the server's --ollama-from (when Ollama serving is on), then to the Ollama library name known for the base.
import * as fs from 'node:fs';
import type { TrainerMethods, VersionExport } from '../../../extension/protocol/trainerProtocol';
import { ollamaExportBundle } from '../serving/ollama/ollamaExport';
import { GgufLoraConverter } from '../serving/llamaCpp/ggufLoraFiles';
import { ggufAdapterFile } from '../serving/ollama/ollamaAdapterDriver';
import { OllamaExportError, ollamaTakesSafetensorsAdapters, planOllamaModel } from '../serving/ollama/ollamaModel';
import type { TrainerCore } from '../trainerCore';
import { TrainerMethodError } from './trainerMethodError';

/** Base64 grows a file by a third; the CLI's WebSocket client accepts messages up to 100 MiB. */
const MAX_EXPORT_BYTES = 64 * 2 ** 20;

export async function exportVersion(core: TrainerCore, params: TrainerMethods['exportVersion']['params']): Promise<VersionExport> {
  if (params.format !== 'ollama') throw new TrainerMethodError('bad_request', `"format" must be "ollama" (got ${JSON.stringify(params.format)})`);
  if (params.from !== undefined && (typeof params.from !== 'string' || params.from === '')) throw new TrainerMethodError('bad_request', '"from" must be a non-empty string');
  const lineage = await core.ready();
  const version = typeof params.version === 'string' ? lineage.registry.get(params.version) : undefined;
  if (!version) throw new TrainerMethodError('not_found', `no version named ${JSON.stringify(params.version)}; see listVersions`);
  try {
    // Bases whose safetensors adapters Ollama cannot convert get a GGUF LoRA, when the server has the base's GGUF.
    const gguf = lineage.ollama?.config.ggufLora && !ollamaTakesSafetensorsAdapters(lineage.baseModel) ? new GgufLoraConverter(lineage.ollama.config.ggufLora) : undefined;
    const plan = planOllamaModel(version, lineage.baseModel, params.from ?? lineage.ollama?.config.from, process.env, gguf !== undefined);
    if (gguf && version.adapterPath) plan.adapterFiles = [await ggufAdapterFile(gguf, version.model, version.adapterPath)];
    const bytes = plan.adapterFiles.reduce((sum, f) => sum + fs.statSync(f.source).size, 0);
    if (bytes > MAX_EXPORT_BYTES) {
      throw new OllamaExportError(`the adapter of ${version.name} is ${(bytes / 2 ** 20).toFixed(0)} MiB, more than one protocol message carries (${MAX_EXPORT_BYTES / 2 ** 20} MiB); on the trainer machine, point the Modelfile's ADAPTER at ${version.adapterPath}`);
    }
    return ollamaExportBundle(plan);
  } catch (error) {
    if (error instanceof OllamaExportError) throw new TrainerMethodError('bad_request', error.message);
    throw error;
  }
}
