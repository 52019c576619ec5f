// The small files through which windows coordinate: finishing a deletion together, and moving
// ownership to the window in use. Deletion: any window may journal a
// delete; only the owner can rewrite the database and delete journal segments, and only each window
// can seal its own journal segment. So: the asking window (or the owner, while some window's open
// segment still holds deleted data) leaves a seal request that every window answers at its next
// tick, and the owner records the ids of the deletions it has scrubbed from every file on disk,
// which the asking window waits for before it reports success.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileDurably } from './sqlDatabase';

const SEAL_REQUEST = 'journal-seal-request';
const SCRUBBED = 'deletions-scrubbed';
/** Ids of older deletions are dropped: their windows stopped waiting long ago. */
const SCRUBBED_KEPT = 200;

export function requestJournalSeal(dir: string): void {
  writeFileDurably(path.join(dir, SEAL_REQUEST), Buffer.from(`${Date.now()}-${randomBytes(4).toString('hex')}\n`));
}

/** Changes each time a seal is requested; '' when none ever was. */
export function journalSealRequest(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, SEAL_REQUEST), 'utf8');
  } catch {
    return '';
  }
}

export function scrubbedDeletions(dir: string): Set<string> {
  try {
    return new Set(fs.readFileSync(path.join(dir, SCRUBBED), 'utf8').split('\n').filter(Boolean));
  } catch {
    return new Set();
  }
}

export function markDeletionsScrubbed(dir: string, ids: Iterable<string>): void {
  const all = [...scrubbedDeletions(dir), ...ids];
  writeFileDurably(path.join(dir, SCRUBBED), Buffer.from(all.slice(-SCRUBBED_KEPT).join('\n') + '\n'));
}

/**
 * Damaged databases kept aside (`<file>.corrupt-<time>`) cannot be vacuumed, and may hold what the
 * user deleted: a deletion removes them.
 */
export function removeCorruptCopies(databaseFile: string): string[] {
  const dir = path.dirname(databaseFile);
  const prefix = `${path.basename(databaseFile)}.`;
  const removed = fs.readdirSync(dir).filter((name) => name.startsWith(prefix) && /\.corrupt-\d+$/.test(name));
  for (const name of removed) fs.rmSync(path.join(dir, name), { force: true });
  return removed;
}

const OWNERSHIP_REQUEST = 'ownership-request';

/**
 * A window the user is acting in (importing, deleting) asks the owner to hand the store over, so the
 * owner is never a window nobody uses any more (code-server keeps a closed tab's extension host alive).
 */
export function requestOwnershipFile(dir: string, writerId: string): void {
  writeFileDurably(path.join(dir, OWNERSHIP_REQUEST), Buffer.from(`${writerId} ${Date.now()}\n`));
}

/** '<writer id> <time>' of the latest request; '' when there never was one. */
export function ownershipRequest(dir: string): string {
  try {
    return fs.readFileSync(path.join(dir, OWNERSHIP_REQUEST), 'utf8');
  } catch {
    return '';
  }
}
