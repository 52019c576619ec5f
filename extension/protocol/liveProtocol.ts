// Live sessions between the extension host and the analysis server: the client says when capture is
// on (the server then watches the assistants' session folders), the server sends each interaction it
// imported from them with the writes its record reports, and the panel asks what is watched.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { LiveInteraction } from '../server/attribution/liveInteractions';
import type { LiveOverview } from '../server/live/liveOverview';
import type { LiveStatus } from '../server/live/liveSessionWatcher';

export type { LiveInteraction, LiveOverview, LiveStatus };

/** Capture went on (watch) or off (stop watching). Answers with what is watched now. */
export namespace LiveWatchRequest {
  export const method = 'autodidact/liveWatch' as const;
  export const type = new RequestType<{ enabled: boolean; workspaceFolders?: string[] }, LiveStatus, void>(method);
}

export namespace LiveStatusRequest {
  export const method = 'autodidact/liveStatus' as const;
  export const type = new RequestType<Record<string, never>, LiveStatus, void>(method);
}

/** The panel overview's live part: sessions watched per assistant, the last outcomes the editor recorded. */
export namespace LiveOverviewRequest {
  export const method = 'autodidact/liveOverview' as const;
  export const type = new RequestType<Record<string, never>, LiveOverview, void>(method);
}

/** Interactions just imported from a live session (new, or an open one that grew). */
export namespace LiveInteractionsNotification {
  export const method = 'autodidact/liveInteractions' as const;
  export const type = new NotificationType<{ interactions: LiveInteraction[] }>(method);
}
