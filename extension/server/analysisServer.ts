// The analysis server: a Node process of its own (started by the client over IPC) that owns the
// store, so SQLite work, imports and embeddings never stall the shared extension host.
import * as path from 'node:path';
import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import {
  AnalysisStatusRequest, CaptureRequest, ExportDatasetRequest, TrainingSetRequest, ImportProgressNotification, ImportRequest, DeleteAllDataRequest, DeleteSessionRequest, ListSessionsRequest, MeterRequest, StatsRequest,
  StoreChangedNotification, TrainerUrlNotification, type AnalysisInitOptions,
} from '../protocol/analysisProtocol';
import { deleteAllData, deleteSessions, listSessions } from './dataDeletion';
import { AutodidactStore } from './store/autodidactStore';
import { readStats } from './store/statsQuery';
import { readMeter } from './meterQuery';
import { registerPanelRequests } from './panel/panelRequests';
import { registerAnalysis, type AnalysisHandle } from './scoring/registerAnalysis';
import { runImport } from './importService';
import { trainingSetForRound } from './dataset/trainingSetForRound';
import { exportTrainingSet } from './dataset/datasetExport';
import { registerLiveSessions } from './live/registerLiveSessions';
import { LessonsFileSync } from './lessons/lessonsFileSync';

const connection = createConnection(ProposedFeatures.all);
let storeReady: Promise<AutodidactStore> | undefined;
let analysis: AnalysisHandle | undefined;
let workspaceFolders: string[] = [];
let lessonsFile: LessonsFileSync | undefined;

connection.onInitialize((params) => {
  const options = params.initializationOptions as AnalysisInitOptions;
  storeReady = AutodidactStore.open(options.storageDir, {
    log: (message) => connection.console.info(message),
    onMerged: () => announceChange(), // includes other windows' captures merged by this one
  });
  storeReady.then(
    (store) => {
      connection.console.info(`store at ${store.dir} (${store.isOwner ? 'writer' : 'reader; another window writes'})`);
      analysis = registerAnalysis(store, {
        extraCategories: options.extraCategories,
        embeddings: { cacheDir: options.modelCacheDir ?? path.join(options.storageDir, 'models'), threads: 1 },
        log: (message) => connection.console.info(message),
      });
      workspaceFolders = options.workspaceFolders ?? [];
      // Every lesson change, from any handler or window, reaches the gateway's lessons.json.
      lessonsFile = new LessonsFileSync(store, (message) => connection.console.info(message));
      lessonsFile.setTrainerUrl(options.trainerUrl);
    },
    (error: Error) => connection.console.error(`cannot open the store: ${error.message}`),
  );
  return { capabilities: { textDocumentSync: TextDocumentSyncKind.None } };
});

function store(): Promise<AutodidactStore> {
  if (!storeReady) throw new Error('the analysis server was not initialised');
  return storeReady;
}

let changeTimer: NodeJS.Timeout | undefined;
/** Coalesces bursts of captures into one notification. */
function announceChange(): void {
  if (changeTimer) return;
  changeTimer = setTimeout(async () => {
    changeTimer = undefined;
    void connection.sendNotification(StoreChangedNotification.type, { stats: readStats(await store()) });
  }, 250);
}

connection.onRequest(CaptureRequest.type, async ({ events }) => {
  await (await store()).capture(events);
  announceChange();
  return { accepted: events.length };
});

connection.onNotification(TrainerUrlNotification.type, ({ url }) => lessonsFile?.setTrainerUrl(url));

connection.onRequest(StatsRequest.type, async () => readStats(await store()));
connection.onRequest(MeterRequest.type, async ({ window }) => readMeter(await store(), window));

connection.onRequest(ListSessionsRequest.type, async ({ limit }) => listSessions(await store(), limit));
/**
 * The window the user acts in becomes the store's owner (the owner hands over within seconds), so
 * its panel shows what it imported at once, and an owner nobody uses any more (a closed tab whose
 * extension host lives on) does not keep the store.
 */
async function storeInUse(): Promise<AutodidactStore> {
  const opened = await store();
  await opened.requestOwnership();
  return opened;
}

connection.onRequest(DeleteSessionRequest.type, async ({ sessionIds }) => {
  const result = await deleteSessions(await storeInUse(), sessionIds);
  announceChange();
  return result;
});
connection.onRequest(DeleteAllDataRequest.type, async () => {
  const result = await deleteAllData(await storeInUse());
  announceChange();
  return result;
});

connection.onRequest(ImportRequest.type, async ({ paths, format }) => {
  const report = await runImport(await storeInUse(), { paths, format, workspaceFolders,
    onProgress: (progress) => void connection.sendNotification(ImportProgressNotification.type, progress) });
  announceChange();
  return report;
});

connection.onRequest(ExportDatasetRequest.type, async ({ format, output, minEffectiveness }) => exportTrainingSet(await store(), { format, output, minEffectiveness }));

connection.onRequest(TrainingSetRequest.type, async ({ minEffectiveness }) => trainingSetForRound(await store(), minEffectiveness));

connection.onRequest(AnalysisStatusRequest.type, () => analysis?.status() ?? { classifierMode: 'starting', categoryProblems: [] });

registerPanelRequests(connection, store, announceChange, () => analysis?.status().classifierMode);

// Capture on: the assistants' session folders are watched and new turns imported as they are written.
const liveSessions = registerLiveSessions(connection, store, () => workspaceFolders, announceChange);

connection.onShutdown(async () => {
  await liveSessions.stop();
  if (storeReady) await (await storeReady).close();
});

connection.listen();
