/** A fitted logistic regression: log-odds = bias + Σ coefficients[i] × x[i]. */
export interface LogisticFit {
  bias: number;
  coefficients: Float64Array;
}

export interface LogisticOptions {
  /** L2 penalty on the coefficients' distance from `prior` (the intercept is not penalised). Default 1. */
  l2?: number;
  /**
   * The coefficients to shrink toward (log-odds per unit of each feature): the penalty is
   * l2/n × |β − prior|², so with few rows the fit stays near the prior and with many it follows
   * the data. Default: all zero (plain ridge).
   */
  prior?: Float64Array;
  /** Most Newton steps (each solves the penalised problem's quadratic model exactly). Default 100. */
  iterations?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** log(1 + e^z), without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/**
 * An L2-regularised logistic regression: the minimum of the mean log-loss + l2/n × |β − prior|²
 * (the intercept free), found by Newton's method with step halving from the base rate's log-odds
 * and the prior, to convergence (the objective is strictly convex in β; the intercept's direction
 * has the data's curvature). `x` is row-major, `y.length` rows of `features` values; `y` is 1 or
 * 0. The labels must hold both kinds (throws otherwise). Deterministic: fixed operation order,
 * no randomness. Sparse rows cost what their non-zero features cost.
 * The one logistic regression of the project: weight suggestions, the fit of a ruleset
 * (`fitRuleset`) and the quality baselines use it.
 */
export function fitLogisticRegression(x: Float64Array, y: Float64Array, features: number, options: LogisticOptions = {}): LogisticFit {
  const n = y.length;
  if (x.length !== n * features) throw new RangeError(`x holds ${x.length} values, not ${n} rows × ${features} features`);
  const prior = options.prior ?? new Float64Array(features);
  if (prior.length !== features) throw new RangeError(`the prior holds ${prior.length} coefficients, not ${features}`);
  let positives = 0;
  for (let row = 0; row < n; row++) positives += y[row]!;
  if (positives === 0 || positives === n) throw new RangeError('the labels are all of one kind: nothing to fit');
  const l2 = options.l2 ?? 1;
  const penalty = l2 / n;
  // Sparse rows: the non-zero features of each row, read once.
  const starts = new Int32Array(n + 1);
  let nonZero = 0;
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) nonZero++;
  const index = new Int32Array(nonZero);
  const value = new Float64Array(nonZero);
  for (let row = 0, at = 0; row < n; row++) {
    starts[row] = at;
    for (let i = 0; i < features; i++) {
      const v = x[row * features + i]!;
      if (v !== 0) {
        index[at] = i;
        value[at++] = v;
      }
    }
    starts[row + 1] = at;
  }
  // Parameters: θ = (β_0..β_{F-1}, bias); the bias last.
  const size = features + 1;
  const theta = new Float64Array(size);
  theta.set(prior);
  theta[features] = Math.log(positives / (n - positives));
  const logits = new Float64Array(n);
  const objective = (t: Float64Array): number => {
    let loss = 0;
    for (let row = 0; row < n; row++) {
      let z = t[features]!;
      for (let k = starts[row]!; k < starts[row + 1]!; k++) z += t[index[k]!]! * value[k]!;
      logits[row] = z;
      loss += softplus(z) - y[row]! * z;
    }
    let ridge = 0;
    for (let i = 0; i < features; i++) ridge += (t[i]! - prior[i]!) ** 2;
    return loss / n + penalty * ridge;
  };
  let current = objective(theta);
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const step = new Float64Array(size);
  const trial = new Float64Array(size);
  for (let iteration = 0; iteration < (options.iterations ?? 100); iteration++) {
    gradient.fill(0);
    hessian.fill(0);
    for (let row = 0; row < n; row++) {
      const p = sigmoid(logits[row]!);
      const error = (p - y[row]!) / n;
      const weight = (p * (1 - p)) / n;
      const from = starts[row]!;
      const to = starts[row + 1]!;
      gradient[features] += error;
      hessian[features * size + features] += weight;
      for (let a = from; a < to; a++) {
        const i = index[a]!;
        const vi = value[a]!;
        gradient[i] += error * vi;
        hessian[features * size + i] += weight * vi;
        for (let b = from; b <= a; b++) hessian[i * size + index[b]!] += weight * vi * value[b]!;
      }
    }
    for (let i = 0; i < features; i++) {
      gradient[i] += 2 * penalty * (theta[i]! - prior[i]!);
      hessian[i * size + i] += 2 * penalty;
    }
    // Only the lower triangle was accumulated (index order within a row is ascending).
    for (let i = 0; i < size; i++) for (let j = 0; j < i; j++) hessian[j * size + i] = hessian[i * size + j]!;
    let gradientNorm = 0;
    for (let i = 0; i < size; i++) gradientNorm = Math.max(gradientNorm, Math.abs(gradient[i]!));
    if (gradientNorm < 1e-10) break;
    solveSymmetric(hessian, gradient, step, size);
    // Step halving: take the Newton step, or the largest half of it that lowers the objective.
    let scale = 1;
    let next = current;
    for (let halving = 0; halving < 30; halving++, scale /= 2) {
      for (let i = 0; i < size; i++) trial[i] = theta[i]! - scale * step[i]!;
      next = objective(trial);
      if (next <= current) break;
    }
    if (!(next <= current)) break;
    theta.set(trial);
    const improvement = current - next;
    current = next;
    if (improvement < 1e-14) break;
  }
  objective(theta);
  return { bias: theta[features]!, coefficients: theta.slice(0, features) };
}

/**
 * Solves H s = g for a symmetric positive (semi-)definite H by Cholesky decomposition, with a
 * tiny ridge added to a pivot that is not positive (a feature that never varies, e.g. unpenalised).
 */
function solveSymmetric(h: Float64Array, g: Float64Array, out: Float64Array, size: number): void {
  const l = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = h[i * size + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * size + k]! * l[j * size + k]!;
      if (i === j) l[i * size + i] = Math.sqrt(sum > 1e-12 ? sum : 1e-12);
      else l[i * size + j] = sum / l[j * size + j]!;
    }
  }
  const z = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    let sum = g[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * size + k]! * z[k]!;
    z[i] = sum / l[i * size + i]!;
  }
  for (let i = size - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < size; k++) sum -= l[k * size + i]! * out[k]!;
    out[i] = sum / l[i * size + i]!;
  }
}

/** The fitted log-odds of row `row` of a row-major `x` (monotone in the probability: rank by it). */
export function logisticLogit(fit: LogisticFit, x: Float64Array, row: number): number {
  const features = fit.coefficients.length;
  let z = fit.bias;
  for (let i = 0; i < features; i++) z += fit.coefficients[i]! * x[row * features + i]!;
  return z;
}
