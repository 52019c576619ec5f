// Reads a file line by line from a byte offset with bounded memory: one read buffer plus the line
// being assembled. Byte offsets (not character counts) are reported so an import cursor can seek
// straight back to a line next time. A last line without '\n' is still being written by the
// assistant; it is delivered flagged `unterminated` and never counts as consumed.
import { open } from 'node:fs/promises';

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

export async function readLines(path: string, options: LineReadOptions): Promise<LineReadResult> {
  const handle = await open(path, 'r');
  const chunkBytes = options.chunkBytes ?? 1024 * 1024;
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE;
  const buffer = Buffer.allocUnsafe(chunkBytes);
  let position = options.start ?? 0;
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineStart = position;
  let oversized = false;
  let completeEnd = position;
  let bytesRead = 0;
  let stopped = false;
  try {
    while (!stopped && position < limit) {
      const want = Math.min(chunkBytes, limit - position);
      const { bytesRead: n } = await handle.read(buffer, 0, want, position);
      if (n === 0) break;
      bytesRead += n;
      let from = 0;
      while (from < n) {
        const nl = buffer.indexOf(10, from);
        const stop = nl === -1 || nl >= n ? n : nl;
        const segmentBytes = stop - from;
        if (!oversized && pendingBytes + segmentBytes > maxLine) {
          oversized = true;
          pending = [];
          pendingBytes = 0;
        }
        if (nl === -1 || nl >= n) {
          if (!oversized) {
            pending.push(Buffer.from(buffer.subarray(from, n)));
            pendingBytes += segmentBytes;
          }
          break;
        }
        const end = position + nl + 1;
        if (oversized) {
          options.onOversized?.(lineStart, end - lineStart);
        } else {
          const text = pendingBytes === 0
            ? buffer.toString('utf8', from, nl)
            : Buffer.concat([...pending, buffer.subarray(from, nl)]).toString('utf8');
          if (options.onLine({ text, start: lineStart, end, unterminated: false }) === false) stopped = true;
        }
        pending = [];
        pendingBytes = 0;
        oversized = false;
        completeEnd = end;
        lineStart = end;
        from = nl + 1;
        if (stopped) break;
      }
      position += n;
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
    await handle.close();
  }
  return { completeEnd, bytesRead, stopped };
}
