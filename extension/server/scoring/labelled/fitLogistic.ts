// Maximum-a-posteriori logistic regression with a Gaussian prior on each weight: the fit moves a
// weight away from its documented prior only as far as the labelled data supports. Newton's method
// on a few dozen features converges in a handful of steps; no library is needed for that.

export interface FitOptions {
  /** Prior means, one per feature column. */
  priorMeans: readonly number[];
  /** Prior standard deviation of the feature weights (log-odds). */
  priorSd: number;
  interceptPrior: number;
  interceptSd: number;
  iterations?: number;
}

export interface FitResult { intercept: number; weights: number[] }

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Solves A x = b by Gaussian elimination with partial pivoting (A is small and positive definite). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) pivot = r;
    [m[c], m[pivot]] = [m[pivot], m[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / row[i]);
}

/** x: rows of feature values (without the intercept column); y: 0/1 labels. */
export function fitLogistic(x: readonly (readonly number[])[], y: readonly number[], options: FitOptions): FitResult {
  const d = options.priorMeans.length;
  const means = [options.interceptPrior, ...options.priorMeans];
  const precisions = [1 / options.interceptSd ** 2, ...options.priorMeans.map(() => 1 / options.priorSd ** 2)];
  const w = [...means];
  const rows = x.map((r) => [1, ...r]);
  for (let it = 0; it < (options.iterations ?? 50); it++) {
    const grad = w.map((wj, j) => precisions[j] * (wj - means[j]));
    const hess = w.map((_, j) => w.map((__, k) => (j === k ? precisions[j] : 0)));
    rows.forEach((r, i) => {
      const p = sigmoid(r.reduce((s, v, j) => s + v * w[j], 0));
      for (let j = 0; j <= d; j++) {
        if (r[j] === 0) continue;
        grad[j] += (p - y[i]) * r[j];
        for (let k = 0; k <= d; k++) if (r[k] !== 0) hess[j][k] += p * (1 - p) * r[j] * r[k];
      }
    });
    const step = solve(hess, grad);
    let change = 0;
    for (let j = 0; j <= d; j++) {
      w[j] -= step[j];
      change = Math.max(change, Math.abs(step[j]));
    }
    if (change < 1e-8) break;
  }
  return { intercept: w[0], weights: w.slice(1) };
}

export function predict(fit: FitResult, row: readonly number[]): number {
  return sigmoid(fit.intercept + row.reduce((s, v, j) => s + v * fit.weights[j], 0));
}
