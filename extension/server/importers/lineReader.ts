// Reads a file line by line from a byte offset with bounded memory: two read buffers (the next
// chunk is read while this one is parsed) plus the line being assembled. Byte offsets (not
// character counts) are reported so an import cursor can seek straight back to a line next time.
// The complete lines of a chunk are decoded in one call and split on '\n' ('\n' never occurs
// inside a multi-byte UTF-8 sequence, so string lines and byte lines correspond one to one).
// A last line without '\n' is still being written by the assistant; it is delivered flagged
// `unterminated` and never counts as consumed.
import { open, type FileHandle } from 'node:fs/promises';

export interface LineInfo {
  text: string;
  /** Byte offset of the line's first byte. */
  start: number;
  /** Byte offset just past the line's '\n' (or past its last byte when unterminated). */
  end: number;
  unterminated: boolean;
}

export interface LineReadOptions {
  start?: number;
  /** Stop before this byte offset (used to read only a file's head). */
  limit?: number;
  /** Longer lines are not assembled; they are reported through onOversized and skipped. */
  maxLineBytes?: number;
  chunkBytes?: number;
  /** Return false to stop reading. */
  onLine: (line: LineInfo) => boolean | void;
  onOversized?: (start: number, bytes: number) => void;
  /** Awaited between chunks: where the caller flushes batches, so memory stays bounded. */
  afterChunk?: () => Promise<void>;
}

export interface LineReadResult {
  /** Offset just past the last '\n'-terminated line that was read. */
  completeEnd: number;
  bytesRead: number;
  stopped: boolean;
}

const DEFAULT_MAX_LINE = 64 * 1024 * 1024;

interface Chunk { buffer: Buffer; bytes: number }

async function readChunk(handle: FileHandle, buffer: Buffer, position: number, limit: number): Promise<Chunk> {
  const want = Math.min(buffer.length, limit - position);
  if (want <= 0) return { buffer, bytes: 0 };
  const { bytesRead } = await handle.read(buffer, 0, want, position);
  return { buffer, bytes: bytesRead };
}

export async function readLines(path: string, options: LineReadOptions): Promise<LineReadResult> {
  const handle = await open(path, 'r');
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  const buffers = [Buffer.allocUnsafe(chunkBytes), Buffer.allocUnsafe(chunkBytes)];
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let position = options.start ?? 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  let lineStart = position;
  let completeEnd = position;
  let bytesRead = 0;
  let stopped = false;
  let which = 0;
  let next = readChunk(handle, buffers[which], position, limit);
  try {
    while (!stopped) {
      const { buffer, bytes } = await next;
      if (bytes === 0) break;
      bytesRead += bytes;
      const chunkStart = position;
      position += bytes;
      which ^= 1;
      next = readChunk(handle, buffers[which], position, limit); // read ahead while parsing this one
      const lastNewline = buffer.lastIndexOf(10, bytes - 1);
      if (lastNewline === -1) {
        if (!oversized && pendingBytes + bytes > maxLine) { oversized = true; pending = []; pendingBytes = 0; }
        if (!oversized) { pending.push(Buffer.from(buffer.subarray(0, bytes))); pendingBytes += bytes; }
      } else {
        // The first line may continue bytes carried over from earlier chunks.
        const firstNewline = buffer.indexOf(10);
        let text: string;
        let lines: string[];
        if (oversized || pendingBytes + firstNewline > maxLine) {
          options.onOversized?.(lineStart, chunkStart + firstNewline + 1 - lineStart);
          text = buffer.toString('utf8', firstNewline + 1, lastNewline);
          lines = firstNewline === lastNewline ? [] : text.split('\n');
          lineStart = chunkStart + firstNewline + 1;
        } else {
          text = pendingBytes === 0
            ? buffer.toString('utf8', 0, lastNewline)
            : Buffer.concat([...pending, buffer.subarray(0, lastNewline)]).toString('utf8');
          lines = text.split('\n');
        }
        pending = [];
        pendingBytes = 0;
        oversized = false;
        let from = lineStart - chunkStart; // may be negative: the carried-over start
        for (const line of lines) {
          const newline = buffer.indexOf(10, Math.max(from, 0));
          const end = chunkStart + newline + 1;
          if (end - lineStart > maxLine) options.onOversized?.(lineStart, end - lineStart);
          else if (options.onLine({ text: line, start: lineStart, end, unterminated: false }) === false) { stopped = true; }
          completeEnd = end;
          lineStart = end;
          from = newline + 1;
          if (stopped) break;
        }
        const tail = bytes - (lastNewline + 1);
        if (!stopped && tail > 0) {
          if (tail > maxLine) oversized = true;
          else { pending.push(Buffer.from(buffer.subarray(lastNewline + 1, bytes))); pendingBytes = tail; }
        }
      }
      if (options.afterChunk) await options.afterChunk();
    }
    const reachedLimit = position >= limit;
    if (!stopped && !reachedLimit && pendingBytes > 0 && !oversized) {
      const text = Buffer.concat(pending).toString('utf8');
      options.onLine({ text, start: lineStart, end: lineStart + pendingBytes, unterminated: true });
    } else if (!stopped && !reachedLimit && oversized) {
      options.onOversized?.(lineStart, position - lineStart);
    }
  } finally {
    await next.catch(() => undefined);
    await handle.close();
  }
  return { completeEnd, bytesRead, stopped };
}
