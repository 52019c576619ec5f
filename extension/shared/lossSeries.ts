// A loss curve that never outgrows a message: a round of 50,000 steps still posts at most `max`
// points. When full it keeps every other point and from then on samples every second step (then
// every fourth...), so the curve stays evenly spaced in steps and keeps its shape.

export class LossSeries {
  private readonly points: number[] = [];
  private stride = 1;
  private seen = 0;

  constructor(private readonly max = 240) {
    // Even, so that after halving the next kept step falls on the new stride.
    if (!(Number.isInteger(max) && max >= 4 && max % 2 === 0)) throw new Error(`LossSeries needs an even room of at least 4 points (got ${max})`);
  }

  add(loss: number): void {
    if (!Number.isFinite(loss)) return; // a NaN step says nothing the chart could draw
    if (this.seen++ % this.stride !== 0) return;
    this.points.push(loss);
    if (this.points.length >= this.max) {
      const kept = this.points.filter((_, i) => i % 2 === 0);
      this.points.splice(0, this.points.length, ...kept);
      this.stride *= 2;
    }
  }

  /** Steps between two kept points. */
  get step(): number { return this.stride; }

  values(): number[] { return [...this.points]; }
}
