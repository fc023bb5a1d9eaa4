/**
 * A step budget shared by several expression evaluations: all the custom expressions of one
 * decision, or all the decisions of one request (a preview, a simulation). Steps are the unit
 * `compileExpression` already counts (node evaluations, array elements visited, string work), so
 * a budget bounds CPU deterministically: the same inputs exhaust it at the same point.
 */
export class ExpressionBudget {
  readonly limit: number;
  private usedSteps = 0;
  /** Steps per label (a custom signal id, a derived fact's name), when `track` was asked for. */
  readonly usage: Map<string, number> | undefined;

  constructor(limit: number, options: { track?: boolean } = {}) {
    if (!(limit >= 0)) throw new RangeError(`a budget's limit must be a number of steps ≥ 0, got ${limit}`);
    this.limit = limit;
    this.usage = options.track ? new Map() : undefined;
  }

  get used(): number {
    return this.usedSteps;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.usedSteps);
  }

  get exhausted(): boolean {
    return this.usedSteps >= this.limit;
  }

  /** Counts `steps` against the budget (may pass the limit: the evaluation that did stops there). */
  charge(steps: number, label?: string): void {
    this.usedSteps += steps;
    if (this.usage && label !== undefined) this.usage.set(label, (this.usage.get(label) ?? 0) + steps);
  }

  /** The labels that used the most steps, most first. */
  heaviest(n = 3): { label: string; steps: number }[] {
    return [...(this.usage ?? [])].sort((a, b) => b[1] - a[1]).slice(0, n).map(([label, steps]) => ({ label, steps }));
  }
}
