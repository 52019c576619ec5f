// Answers the panel's requests by asking the analysis server; the webview never sees the store.
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  DatasetPreviewRequest, PatternExamplesRequest, PatternPageRequest, SetPatternIncludedRequest,
} from '../protocol/analysisProtocol';
import { InteractionTextRequest, LessonActionRequest, LessonsRequest, MeasureLessonRequest } from '../protocol/lessonsProtocol';
import type { PanelRequestMethod, PanelRequests } from '../protocol/webviewProtocol';
import { openInteraction } from './lessonEvidence';
import type { PanelHost } from './panelViewProvider';

type Handlers = { [M in PanelRequestMethod]: (client: LanguageClient, params: PanelRequests[M]['params']) => Promise<PanelRequests[M]['result']> };

/** Where the live model's gateway is and its token, when the trainer-server is connected. */
export type GatewayEndpoint = () => Promise<{ baseUrl: string; token: string | undefined } | undefined>;

export function panelRequestHandler(client: () => LanguageClient | undefined, minEffectiveness: () => number, gateway: GatewayEndpoint): PanelHost['request'] {
  const handlers: Handlers = {
    patternPage: (c, params) => c.sendRequest(PatternPageRequest.type, params),
    patternExamples: (c, params) => c.sendRequest(PatternExamplesRequest.type, params),
    setPatternIncluded: (c, params) => c.sendRequest(SetPatternIncludedRequest.type, params),
    datasetPreview: (c) => c.sendRequest(DatasetPreviewRequest.type, { minEffectiveness: minEffectiveness() }),
    lessons: (c, params) => c.sendRequest(LessonsRequest.type, { learn: params.learn === true }),
    lessonAction: (c, action) => c.sendRequest(LessonActionRequest.type, action),
    measureLesson: async (c, { id }) => {
      // Measuring asks the live model, so it needs the connected trainer-server's gateway and token.
      const endpoint = await gateway();
      if (!endpoint?.token) throw new Error('Connect to the trainer-server first: a lesson is measured with the live model\'s answers with and without it.');
      return c.sendRequest(MeasureLessonRequest.type, { id: String(id), gatewayUrl: endpoint.baseUrl, token: endpoint.token });
    },
    openInteraction: async (c, { id }) => openInteraction(await c.sendRequest(InteractionTextRequest.type, { id: String(id) })),
  };
  return async (method, params) => {
    const running = client();
    if (!running?.isRunning()) throw new Error('The analysis server is not running; see Autodidact: Show Log.');
    const handler = handlers[method] as (c: LanguageClient, p: typeof params) => Promise<PanelRequests[typeof method]['result']>;
    return handler(running, params);
  };
}
