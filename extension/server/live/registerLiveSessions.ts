// Wires the live-session watcher into the analysis server: started and stopped by the client as
// capture goes on and off, importing into the server's store, and telling the client about each
// interaction it imported so the editor can attribute edits to it.
import { homedir } from 'node:os';
import type { Connection } from 'vscode-languageserver/node';
import { LiveInteractionsNotification, LiveOverviewRequest, LiveStatusRequest, LiveWatchRequest } from '../../protocol/liveProtocol';
import { discoverSources } from '../importers/discoverSources';
import type { AutodidactStore } from '../store/autodidactStore';
import { readLiveOverview } from './liveOverview';
import { LiveSessionWatcher, type LiveStatus } from './liveSessionWatcher';

const IDLE_STATUS: LiveStatus = { watching: false, locations: [], sessions: [], imports: 0 };

export function registerLiveSessions(
  connection: Connection,
  store: () => Promise<AutodidactStore>,
  initialFolders: () => string[],
  onImported: () => void,
): { stop(): Promise<void> } {
  let watcher: LiveSessionWatcher | undefined;
  let folders: string[] | undefined;
  // Requests are handled one after another, so on/off/on in quick succession cannot start two watchers.
  let queue: Promise<unknown> = Promise.resolve();

  const setWatching = async (enabled: boolean): Promise<LiveStatus> => {
    if (!enabled) {
      await watcher?.stop();
      watcher = undefined;
      return IDLE_STATUS;
    }
    if (!watcher) {
      const sink = await store();
      watcher = new LiveSessionWatcher({
        sink,
        discover: () => discoverSources(process.env, homedir(), process.platform, folders ?? initialFolders()),
        onInteractions: (interactions) => {
          void connection.sendNotification(LiveInteractionsNotification.type, { interactions });
          onImported();
        },
        log: (message) => connection.console.info(message),
      });
      await watcher.start();
      const status = watcher.status();
      connection.console.info(`live sessions: watching ${status.locations.length} location(s): ${status.locations.map((l) => `${l.format} ${l.path} (${l.mode})`).join(', ') || 'none found'}`);
    }
    return watcher.status();
  };

  connection.onRequest(LiveWatchRequest.type, ({ enabled, workspaceFolders }) => {
    if (workspaceFolders) folders = workspaceFolders;
    const next = queue.then(() => setWatching(enabled));
    queue = next.catch(() => undefined);
    return next;
  });

  connection.onRequest(LiveStatusRequest.type, () => watcher?.status() ?? IDLE_STATUS);
  connection.onRequest(LiveOverviewRequest.type, async () => readLiveOverview(await store(), watcher?.status() ?? IDLE_STATUS));

  return { stop: async () => { await watcher?.stop(); watcher = undefined; } };
}
