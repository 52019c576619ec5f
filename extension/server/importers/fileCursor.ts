// Decides where an import of a file starts, from the cursor the last import left. The head hash is
// over the first min(size, 1 KiB) bytes and records that length ("<n>:<hex>"), so a small file that
// has grown since is still recognised as the same file.
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type { ImportCursor } from '../../protocol/records';

const HEAD_BYTES = 1024;

export interface FileFingerprint {
  size: number;
  mtimeMs: number;
  headHash: string;
}

async function hashHead(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return `${bytesRead}:${createHash('sha256').update(buffer.subarray(0, bytesRead)).digest('hex').slice(0, 32)}`;
  } finally {
    await handle.close();
  }
}

export async function fingerprint(path: string): Promise<FileFingerprint> {
  const info = await stat(path);
  return { size: info.size, mtimeMs: Math.floor(info.mtimeMs), headHash: await hashHead(path, Math.min(info.size, HEAD_BYTES)) };
}

export type StartDecision =
  | { mode: 'unchanged' }
  | { mode: 'resume'; offset: number }
  | { mode: 'full' };

/**
 * unchanged: same size, mtime and head. resume: an append-only file that only grew (same head over
 * the bytes hashed last time). full: anything else (new, rewritten, truncated, whole-file formats).
 */
export async function decideStart(path: string, previous: ImportCursor | undefined, now: FileFingerprint, appendOnly: boolean): Promise<StartDecision> {
  if (!previous) return { mode: 'full' };
  const [lengthText] = previous.headHash.split(':', 1);
  const hashedBytes = Number(lengthText);
  if (!Number.isInteger(hashedBytes) || hashedBytes > now.size) return { mode: 'full' };
  const sameHead = hashedBytes === Number(now.headHash.split(':', 1)[0])
    ? previous.headHash === now.headHash
    : previous.headHash === await hashHead(path, hashedBytes);
  if (!sameHead) return { mode: 'full' };
  if (previous.size === now.size && previous.mtimeMs === now.mtimeMs) return { mode: 'unchanged' };
  if (appendOnly && now.size >= previous.size && previous.offset <= now.size) return { mode: 'resume', offset: previous.offset };
  return { mode: 'full' };
}
