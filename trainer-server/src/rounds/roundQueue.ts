// Rounds run one at a time, in the order they were asked for. A queued round can be cancelled
// before it starts; the running one is cancelled through the runner.
import type { RoundManifest } from '../../../extension/protocol/trainerProtocol';
import type { RoundJob, RoundRunner } from './roundRunner';

export class RoundQueue {
  private readonly waiting: RoundJob[] = [];
  private active: Promise<void> | undefined;

  constructor(private readonly runner: RoundRunner, private readonly onCancelledWhileQueued: (job: RoundJob) => void) {}

  /** Returns how many rounds are ahead of this one (0: it starts now). */
  enqueue(job: RoundJob): number {
    this.waiting.push(job);
    const ahead = this.waiting.length - 1 + (this.runner.running ? 1 : 0);
    this.pump();
    return ahead;
  }

  async cancel(roundId: string): Promise<RoundManifest['state'] | 'unknown'> {
    const index = this.waiting.findIndex((job) => job.manifest.roundId === roundId);
    if (index >= 0) {
      const [job] = this.waiting.splice(index, 1);
      this.onCancelledWhileQueued(job);
      return 'cancelled';
    }
    return (await this.runner.cancel(roundId)) ? 'running' : 'unknown';
  }

  snapshot(): { running: string | null; queued: string[] } {
    return { running: this.runner.running?.manifest.roundId ?? null, queued: this.waiting.map((job) => job.manifest.roundId) };
  }

  /** Resolves when nothing is running or waiting. */
  async idle(): Promise<void> {
    while (this.active) await this.active;
  }

  private pump(): void {
    if (this.active) return;
    const job = this.waiting.shift();
    if (!job) return;
    this.active = this.runner.run(job).then(() => undefined, () => undefined).finally(() => {
      this.active = undefined;
      this.pump();
    });
  }
}
