// exportVersion {version, format: 'ollama', from?}: the version as a folder for `ollama create`
// (Modelfile + its adapter files), built where the registry and the weights are. `from` defaults to
// the server's --ollama-from (when Ollama serving is on), then to the Ollama library name known for the base.
import type { TrainerMethods, VersionExport } from '../../../extension/protocol/trainerProtocol';
import { ollamaExportBundle } from '../serving/ollama/ollamaExport';
import { OllamaExportError, planOllamaModel } from '../serving/ollama/ollamaModel';
import type { TrainerCore } from '../trainerCore';
import { TrainerMethodError } from './trainerMethodError';

export async function exportVersion(core: TrainerCore, params: TrainerMethods['exportVersion']['params']): Promise<VersionExport> {
  if (params.format !== 'ollama') throw new TrainerMethodError('bad_request', `"format" must be "ollama" (got ${JSON.stringify(params.format)})`);
  if (params.from !== undefined && (typeof params.from !== 'string' || params.from === '')) throw new TrainerMethodError('bad_request', '"from" must be a non-empty string');
  const lineage = await core.ready();
  const version = typeof params.version === 'string' ? lineage.registry.get(params.version) : undefined;
  if (!version) throw new TrainerMethodError('not_found', `no version named ${JSON.stringify(params.version)}; see listVersions`);
  try {
    return ollamaExportBundle(planOllamaModel(version, lineage.baseModel, params.from ?? lineage.ollama?.config.from));
  } catch (error) {
    if (error instanceof OllamaExportError) throw new TrainerMethodError('bad_request', error.message);
    throw error;
  }
}
