// Ids are hashes of where a record came from (source, native session, record uuid or position), so
// importing the same transcript again yields the same ids and the store's upserts make it harmless.
import { createHash } from 'node:crypto';

/** 32 hex chars (128 bits) of SHA-256 over the parts, joined with a separator no part contains. */
export function stableId(...parts: Array<string | number>): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(String(part));
    hash.update('\u0000');
  }
  return hash.digest('hex').slice(0, 32);
}
