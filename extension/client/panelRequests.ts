// Answers the panel's requests by asking the analysis server; the webview never sees the store.
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DatasetPreviewRequest, PatternExamplesRequest, PatternPageRequest, SetPatternIncludedRequest,
} from '../protocol/analysisProtocol';
import { InteractionTextRequest, LessonActionRequest, LessonsRequest } from '../protocol/lessonsProtocol';
import type { PanelRequestMethod, PanelRequests } from '../protocol/webviewProtocol';
import { openInteraction } from './lessonEvidence';
import type { PanelHost } from './panelViewProvider';

type Handlers = { [M in PanelRequestMethod]: (client: LanguageClient, params: PanelRequests[M]['params']) => Promise<PanelRequests[M]['result']> };

export function panelRequestHandler(client: () => LanguageClient | undefined, minEffectiveness: () => number): PanelHost['request'] {
  const handlers: Handlers = {
    patternPage: (c, params) => c.sendRequest(PatternPageRequest.type, params),
    patternExamples: (c, params) => c.sendRequest(PatternExamplesRequest.type, params),
    setPatternIncluded: (c, params) => c.sendRequest(SetPatternIncludedRequest.type, params),
    datasetPreview: (c) => c.sendRequest(DatasetPreviewRequest.type, { minEffectiveness: minEffectiveness() }),
    lessons: (c, params) => c.sendRequest(LessonsRequest.type, { learn: params.learn === true }),
    lessonAction: (c, action) => c.sendRequest(LessonActionRequest.type, action),
    openInteraction: async (c, { id }) => openInteraction(await c.sendRequest(InteractionTextRequest.type, { id: String(id) })),
  };
  return async (method, params) => {
    const running = client();
    if (!running?.isRunning()) throw new Error('The analysis server is not running; see Autodidact: Show Log.');
    const handler = handlers[method] as (c: LanguageClient, p: typeof params) => Promise<PanelRequests[typeof method]['result']>;
    return handler(running, params);
  };
}
