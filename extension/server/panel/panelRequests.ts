// The analysis server's handlers for the sidebar panel, registered in one call so analysisServer.ts
// stays a list of wiring.
import type { Connection } from 'vscode-languageserver/node';
import {
  DatasetPreviewRequest, PanelDataRequest, PatternExamplesRequest, PatternPageRequest, SetPatternIncludedRequest,
} from '../../protocol/analysisProtocol';
import type { AutodidactStore } from '../store/autodidactStore';
import { DatasetPreviewCache } from './datasetPreview';
import { readPanelData } from './panelOverview';
import { changePatternInclusion, readPatternExamples, readPatternPage } from './patternPages';
import { registerLessonRequests } from './lessonRequests';

export function registerPanelRequests(
  connection: Connection, store: () => Promise<AutodidactStore>, announceChange: () => void,
  classifierMode: () => string | undefined = () => undefined,
): void {
  const previews = new DatasetPreviewCache();
  connection.onRequest(PanelDataRequest.type, async (params) => readPanelData(await store(), { ...params, classifierMode: classifierMode() }));
  connection.onRequest(PatternPageRequest.type, async ({ offset, limit }) => readPatternPage(await store(), offset, limit));
  connection.onRequest(PatternExamplesRequest.type, async ({ patternId, offset, limit }) =>
    readPatternExamples(await store(), patternId, offset, limit));
  connection.onRequest(SetPatternIncludedRequest.type, async ({ patternId, included }) => {
    const result = await changePatternInclusion(await store(), patternId, included);
    if (result.changed) announceChange();
    return result;
  });
  connection.onRequest(DatasetPreviewRequest.type, async ({ minEffectiveness }) => previews.read(await store(), minEffectiveness));
  registerLessonRequests(connection, store, announceChange);
}
