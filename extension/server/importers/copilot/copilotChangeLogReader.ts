// Reads a Copilot .jsonl change log by replaying it into the session state, then maps the state
// like a .json session. The state has to be rebuilt from the first line, so this file is always
// read whole when it changed (its cursor offset stays 0).
import type { ImportEmitter } from '../importEmitter';
import type { LineInfo } from '../lineReader';
import { isObject, parseJsonLine, type JsonObject, type LineFormatReader } from '../readerSupport';
import { applyChangeOp } from './copilotChangeLog';
import { readCopilotSession } from './copilotSessionReader';

export class CopilotChangeLogReader implements LineFormatReader {
  private state?: JsonObject;

  constructor(private readonly path: string, private readonly emitter: ImportEmitter) {}

  line(line: LineInfo): void {
    const op = parseJsonLine(line, this.emitter);
    if (!op) return;
    if (typeof op.kind !== 'number') return this.emitter.skipped();
    if (op.kind !== 0 && !this.state) return this.emitter.unreadable(`line at byte ${line.start}: change before any state`);
    const next = applyChangeOp(this.state ?? {}, { kind: op.kind, k: op.k, v: op.v, i: op.i });
    if (next === undefined) {
      if (op.kind >= 0 && op.kind <= 3) this.emitter.unreadable(`line at byte ${line.start}: malformed change`);
      else this.emitter.skipped();
      return;
    }
    this.state = next;
  }

  finish(): void {
    if (this.state && isObject(this.state)) readCopilotSession(this.state, this.path, this.emitter);
  }

  resumeOffset(): number {
    return 0;
  }
}
