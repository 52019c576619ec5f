// The capture journal: every event is appended here and fsync'd before capture() resolves, so an
// acknowledged event survives a SIGKILL a microsecond later. Each process writes only its own
// segment files (journal/<writer>.<segment>.ndjson), so several VS Code windows never interleave
// bytes in one file; the store owner merges all segments into the database (see writerLease.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CaptureEvent } from '../../protocol/records';
import { fsyncDirectory } from './sqlDatabase';

const SEGMENT_LIMIT_BYTES = 4 * 1024 * 1024;
const SEGMENT_NAME = /^(?<writer>[a-z0-9]+-(?<pid>\d+))\.(?<segment>\d{6})\.ndjson$/;

export interface SegmentName { file: string; writer: string; pid: number; segment: number }

export function parseSegmentName(file: string): SegmentName | undefined {
  const match = SEGMENT_NAME.exec(path.basename(file));
  if (!match?.groups) return undefined;
  return { file, writer: match.groups.writer, pid: Number(match.groups.pid), segment: Number(match.groups.segment) };
}

export class JournalWriter {
  readonly writerId = `${randomBytes(4).toString('hex')}-${process.pid}`;
  private segment = 0;
  private fd: number | undefined;
  private bytes = 0;

  constructor(private readonly dir: string) {
    fs.mkdirSync(dir, { recursive: true });
  }

  get currentSegmentFile(): string {
    return path.join(this.dir, `${this.writerId}.${String(this.segment).padStart(6, '0')}.ndjson`);
  }

  /**
   * Appends events as one write and fsyncs. Returns only when the bytes are on disk; throws if they
   * may not be (a full disk, an I/O error), having taken back whatever part of them was written.
   */
  append(events: readonly CaptureEvent[]): void {
    if (events.length === 0) return;
    if (this.bytes >= SEGMENT_LIMIT_BYTES) this.rotate();
    if (this.fd === undefined) this.openSegment();
    const journaledAt = Date.now(); // orders events across windows' journals at replay
    const text = events.map((event) => JSON.stringify({ ...event, journaledAt })).join('\n') + '\n';
    const buffer = Buffer.from(text, 'utf8');
    const fd = this.fd!;
    let written = 0;
    try {
      while (written < buffer.length) written += fs.writeSync(fd, buffer, written, buffer.length - written);
      fs.fsyncSync(fd);
    } catch (error) {
      this.takeBack(fd, written);
      throw error;
    }
    this.bytes += buffer.length;
  }

  /**
   * A failed append may have left part of its line (a disk that filled mid-write). The next append
   * would be glued to that torn part and the whole line lost at replay, so the part is cut off. If
   * even that fails, the segment is sealed: a torn last line without its newline is never read.
   */
  private takeBack(fd: number, written: number): void {
    if (written === 0) return;
    try {
      fs.ftruncateSync(fd, this.bytes);
    } catch {
      this.rotate();
    }
  }

  /** Seals the current segment; the next append starts a new one. The owner may delete sealed, merged segments. */
  rotate(): void {
    if (this.fd === undefined) return;
    fs.closeSync(this.fd);
    this.fd = undefined;
    this.segment++;
    this.bytes = 0;
  }

  /**
   * Seals the current segment and starts the next one now, even empty: a newer segment is how the
   * owner, in another process, knows this one will never grow again and may be deleted.
   */
  seal(): void {
    this.rotate();
    this.openSegment();
  }

  close(): void {
    this.rotate();
  }

  private openSegment(): void {
    this.fd = fs.openSync(this.currentSegmentFile, 'a');
    this.bytes = fs.fstatSync(this.fd).size;
    fsyncDirectory(this.dir); // the new name itself must survive a crash
  }
}

/** A journal line: the event plus when it was journaled (absent only in hand-written journals). */
export type JournalEntry = CaptureEvent & { journaledAt?: number };

export interface ReadResult { events: JournalEntry[]; nextOffset: number; corruptLines: number }

/**
 * Reads complete lines from `offset`. A last line without its newline is an append in progress
 * (or torn by a crash before it was acknowledged): it is left for the next read, never applied.
 */
export function readSegment(file: string, offset: number): ReadResult {
  const size = fs.statSync(file).size;
  if (size <= offset) return { events: [], nextOffset: offset, corruptLines: 0 };
  const buffer = Buffer.alloc(size - offset);
  const fd = fs.openSync(file, 'r');
  try { fs.readSync(fd, buffer, 0, buffer.length, offset); } finally { fs.closeSync(fd); }
  const lastNewline = buffer.lastIndexOf(0x0a);
  if (lastNewline < 0) return { events: [], nextOffset: offset, corruptLines: 0 };
  const events: JournalEntry[] = [];
  let corruptLines = 0;
  for (const line of buffer.subarray(0, lastNewline).toString('utf8').split('\n')) {
    if (line.length === 0) continue;
    try {
      events.push(JSON.parse(line) as JournalEntry);
    } catch {
      corruptLines++; // a damaged line cannot be acknowledged data: an fsync'd line is whole
    }
  }
  return { events, nextOffset: offset + lastNewline + 1, corruptLines };
}

export function listSegments(dir: string): SegmentName[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .map((name) => parseSegmentName(path.join(dir, name)))
    .filter((segment): segment is SegmentName => segment !== undefined)
    .sort((a, b) => a.writer.localeCompare(b.writer) || a.segment - b.segment);
}
