// The one secret of a trainer-server: a random token made on first start and kept 0600 in its home.
// Every WebSocket and HTTP call must present it; comparisons are constant-time.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import * as fs from 'node:fs';
import { TOKEN_SUBPROTOCOL_PREFIX } from '../../../extension/protocol/trainerProtocol';
import { writeFileAtomic } from '../home/atomicFile';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32,256}$/;

/** Reads the token file, creating it (0600) when absent. A token file others can read is tightened. */
export function loadOrCreateToken(tokenFile: string): { token: string; created: boolean } {
  if (fs.existsSync(tokenFile)) {
    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    if (!TOKEN_PATTERN.test(token)) throw new Error(`${tokenFile} does not hold a valid token; delete it to make a new one`);
    if ((fs.statSync(tokenFile).mode & 0o077) !== 0) fs.chmodSync(tokenFile, 0o600);
    return { token, created: false };
  }
  const token = randomBytes(32).toString('base64url');
  writeFileAtomic(tokenFile, `${token}\n`, 0o600);
  return { token, created: true };
}

export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

/** The token offered as a `autodidact-token.<token>` WebSocket subprotocol, for clients without headers. */
export function subprotocolToken(protocols: Iterable<string>): string | undefined {
  for (const protocol of protocols) {
    if (protocol.startsWith(TOKEN_SUBPROTOCOL_PREFIX)) return protocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }
  return undefined;
}
