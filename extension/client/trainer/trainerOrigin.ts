// Which trainer-server a URL names, for keying its token. The WebSocket side (ws://) and the gateway's
// HTTP side (http://) of one server share a token, so both map to one origin; anything else (another
// host, port or a TLS switch) is another server and never sees this one's token.
// No 'vscode' import: unit tests load it.

const SCHEMES: Record<string, string> = { 'ws:': 'ws:', 'http:': 'ws:', 'wss:': 'wss:', 'https:': 'wss:' };

/** `ws://host:port` or `wss://host:port` (default ports dropped, host lower-cased); undefined for anything that is not a trainer URL. */
export function trainerOrigin(url: string): string | undefined {
  let parsed: URL;
  try { parsed = new URL(url); } catch { return undefined; }
  const scheme = SCHEMES[parsed.protocol];
  if (!scheme || !parsed.host || parsed.username || parsed.password) return undefined;
  return `${scheme}//${parsed.host}`;
}

/** The SecretStorage key holding the token for the server at `url`. */
export function tokenSecretKey(url: string): string | undefined {
  const origin = trainerOrigin(url);
  return origin === undefined ? undefined : `autodidact.trainer.token@${origin}`;
}

/** Before tokens were keyed by origin, one key held whichever server's token was entered last. */
export const LEGACY_TOKEN_KEY = 'autodidact.trainer.token';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isLocalTrainer(url: string): boolean {
  try { return LOCAL_HOSTS.has(new URL(url).hostname); } catch { return false; }
}

const DEFAULT_TRAINER_URL = 'ws://127.0.0.1:7878';

/** What `workspace.getConfiguration('autodidact').inspect('trainer.url')` returns, in part. */
export interface InspectedSetting<T> {
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
}

/**
 * The trainer URL from the user's own settings only. The setting is machine-scoped, so VS Code
 * already ignores a repository's `.vscode/settings.json`; reading the user value explicitly keeps a
 * workspace from pointing the extension (and its token) at another server even where an editor does
 * not enforce the scope. A value that is not a ws(s):// URL falls back to the default.
 */
export function trainerUrlFromSettings(inspected: InspectedSetting<string> | undefined): string {
  const chosen = inspected?.globalValue ?? inspected?.defaultValue ?? DEFAULT_TRAINER_URL;
  return /^wss?:$/.test(safeProtocol(chosen)) && trainerOrigin(chosen) ? chosen : DEFAULT_TRAINER_URL;
}

function safeProtocol(url: string): string {
  try { return new URL(url).protocol; } catch { return ''; }
}
