/** One problem in a ruleset, located by a JSON pointer, for the API and the rule editor. */
export interface RulesetProblem {
  /** JSON pointer into the ruleset, e.g. `/signals/velocity.return-rate/params/minOrders`. */
  pointer: string;
  message: string;
  /** A stable code: `schema`, `unknown-signal`, `bad-params`, `zones-order`, `expression`, … */
  code: string;
  severity: 'error' | 'warning';
  /** For expression problems: the character offset inside the expression string. */
  position?: number;
}

/** A ruleset that cannot be compiled; carries every problem, not only the first. */
export class RulesetValidationError extends Error {
  readonly problems: readonly RulesetProblem[];
  constructor(problems: readonly RulesetProblem[]) {
    const errors = problems.filter((p) => p.severity === 'error');
    super(
      `The ruleset has ${errors.length} error${errors.length === 1 ? '' : 's'}:\n` +
        errors.map((p) => `  ${p.pointer || '/'}: ${p.message}`).join('\n'),
    );
    this.name = 'RulesetValidationError';
    this.problems = problems;
  }
}

export function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function pointerOf(...segments: (string | number)[]): string {
  return segments.map((s) => `/${escapePointerSegment(String(s))}`).join('');
}
