// Collects one file's events, redacts them as they arrive (nothing unredacted is ever queued),
// counts them into the file's report, and hands them to the sink in batches so memory stays bounded.
import type { CaptureEvent, OutcomeEvent, SessionRecord } from '../../protocol/records';
import { redactCaptureEvent } from '../../shared/redaction/redactCaptureEvent';
import { RedactionTally } from '../../shared/redaction/redactText';
import type { CaptureSink } from './captureSink';
import type { FileImportReport } from './importReport';
import type { InteractionDraft } from './interactionDraft';

export const DEFAULT_BATCH_SIZE = 500;
/** Kept in the report so a user can see what went wrong without a log. */
const MAX_PROBLEMS = 5;

export class ImportEmitter {
  readonly tally = new RedactionTally();
  readonly problems: string[] = [];
  private pending: CaptureEvent[] = [];
  private readonly sessionsSeen = new Set<string>();

  constructor(
    readonly report: FileImportReport,
    private readonly sink: CaptureSink | undefined,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

  private push(event: CaptureEvent): void {
    if (!this.sink) {
      // Dry run (no store): still redact so the tally in the report is the real one.
      redactCaptureEvent(event, this.tally);
      return;
    }
    this.pending.push(redactCaptureEvent(event, this.tally));
  }

  session(session: SessionRecord): void {
    if (!this.sessionsSeen.has(session.id)) {
      this.sessionsSeen.add(session.id);
      this.report.sessions++;
    }
    this.push({ type: 'session', session });
  }

  interaction(draft: InteractionDraft): void {
    this.report.interactions++;
    this.report.toolCalls += draft.toolCalls;
    this.report.edits += draft.touches.length;
    this.report.errors += draft.issues.length;
    this.report.outcomes += draft.outcomes.length;
    for (const event of draft.toEvents()) this.push(event);
  }

  /** An outcome with no interaction to carry it (Continue's toolUsage events). */
  outcome(outcome: OutcomeEvent, countsAsToolCall: boolean): void {
    this.report.outcomes++;
    if (countsAsToolCall) this.report.toolCalls++;
    if (outcome.kind === 'tool_error') this.report.errors++;
    this.push({ type: 'outcome', outcome });
  }

  raw(event: CaptureEvent): void {
    this.push(event);
  }

  unreadable(detail: string): void {
    this.report.errors++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(detail);
  }

  skipped(): void {
    this.report.skipped++;
  }

  truncated(): void {
    this.report.truncated++;
  }

  async flushIfFull(): Promise<void> {
    if (this.pending.length >= this.batchSize) await this.flush();
  }

  async flush(): Promise<void> {
    while (this.pending.length > 0 && this.sink) {
      const batch = this.pending.splice(0, this.batchSize);
      await this.sink.capture(batch);
    }
    this.report.redacted = [...this.tally.counts.values()].reduce((a, b) => a + b, 0);
  }
}
