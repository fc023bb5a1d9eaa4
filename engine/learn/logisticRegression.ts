/** A fitted logistic regression: log-odds = bias + Σ coefficients[i] × x[i]. */
export interface LogisticFit {
  bias: number;
  coefficients: Float64Array;
}

export interface LogisticOptions {
  /** L2 penalty on the coefficients (the intercept is not penalised). Default 1. */
  l2?: number;
  iterations?: number;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * An L2-regularised logistic regression, fitted by batch gradient descent on the mean log-loss
 * + l2/n × |β|², starting from the base rate's log-odds. `x` is row-major, `y.length` rows of
 * `features` values; `y` is 1 or 0. The labels must hold both kinds (throws otherwise).
 * The one logistic regression of the project: weight suggestions and the quality baselines use it.
 */
export function fitLogisticRegression(x: Float64Array, y: Float64Array, features: number, options: LogisticOptions = {}): LogisticFit {
  const n = y.length;
  if (x.length !== n * features) throw new RangeError(`x holds ${x.length} values, not ${n} rows × ${features} features`);
  let positives = 0;
  for (let row = 0; row < n; row++) positives += y[row];
  if (positives === 0 || positives === n) throw new RangeError('the labels are all of one kind: nothing to fit');
  const l2 = options.l2 ?? 1;
  const beta = new Float64Array(features);
  let bias = Math.log(positives / (n - positives));
  const rate = 0.5;
  const gradient = new Float64Array(features);
  for (let iteration = 0; iteration < (options.iterations ?? 600); iteration++) {
    gradient.fill(0);
    let biasGradient = 0;
    for (let row = 0; row < n; row++) {
      let z = bias;
      const offset = row * features;
      for (let i = 0; i < features; i++) z += beta[i] * x[offset + i];
      const error = sigmoid(z) - y[row];
      biasGradient += error;
      for (let i = 0; i < features; i++) if (x[offset + i] !== 0) gradient[i] += error * x[offset + i];
    }
    bias -= (rate * biasGradient) / n;
    for (let i = 0; i < features; i++) beta[i] -= rate * (gradient[i] / n + (2 * l2 * beta[i]) / n);
  }
  return { bias, coefficients: beta };
}

/** The fitted log-odds of row `row` of a row-major `x` (monotone in the probability: rank by it). */
export function logisticLogit(fit: LogisticFit, x: Float64Array, row: number): number {
  const features = fit.coefficients.length;
  let z = fit.bias;
  for (let i = 0; i < features; i++) z += fit.coefficients[i] * x[row * features + i];
  return z;
}
