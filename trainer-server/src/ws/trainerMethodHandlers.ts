// The protocol's methods (extension/protocol/trainerProtocol.ts) on top of the trainer core.
import { DatasetError } from '../datasets/datasetStore';
import type { TrainerCore } from '../trainerCore';
import { exportVersion } from './exportVersionMethod';
import { TrainerMethodError } from './trainerMethodError';
import type { MethodHandlers } from './wsSession';

export function trainerMethodHandlers(core: TrainerCore): MethodHandlers {
  return {
    hello: async (params, session) => {
      session.wantsCapture = params.capture === true;
      return core.status();
    },
    status: async () => core.status(),
    uploadDataset: async (params) => {
      try {
        const { dataset, stored } = core.datasets.save(params.train, params.eval, params.sha256);
        return { sha256: dataset.sha256, trainExamples: dataset.trainExamples, evalExamples: dataset.evalExamples, stored };
      } catch (error) {
        if (error instanceof DatasetError) throw new TrainerMethodError(error.code, error.message);
        throw error;
      }
    },
    startRound: (params) => core.startRound(params),
    cancelRound: async (params) => {
      const lineage = await core.ready();
      const state = await lineage.queue.cancel(String(params.roundId));
      if (state === 'unknown') {
        const manifest = lineage.rounds.read(String(params.roundId));
        return { cancelled: false, state: manifest?.state ?? 'unknown' };
      }
      return { cancelled: true, state: state === 'running' ? 'running' : 'cancelled' };
    },
    getRound: async (params) => {
      const manifest = (await core.ready()).rounds.read(String(params.roundId));
      if (!manifest) throw new TrainerMethodError('not_found', `no round ${JSON.stringify(params.roundId)}`);
      return manifest;
    },
    listRounds: async () => ({ rounds: (await core.ready()).rounds.list() }),
    listVersions: async () => (await core.ready()).registry.snapshot(),
    rollback: (params) => core.rollback(params.version),
    exportVersion: (params) => exportVersion(core, params),
    ackCapture: async (params) => {
      if (!Array.isArray(params.ids) || !params.ids.every((id) => typeof id === 'string')) {
        throw new TrainerMethodError('bad_request', '"ids" must be an array of exchange ids');
      }
      const removed = await core.capture.ack(params.ids);
      return { removed, pending: core.capture.buffered };
    },
  };
}
