// Ids for events captured in this window: a random per-run prefix plus a counter. Unique without a
// syscall per event, and stable once written, which is all replaying the journal needs.
import { randomBytes } from 'node:crypto';

export function createIdFactory(kind: string): () => string {
  const prefix = `${kind}-${randomBytes(6).toString('hex')}-`;
  let counter = 0;
  return () => prefix + (counter++).toString(36);
}
