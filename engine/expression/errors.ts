export type ExpressionStage = 'parse' | 'compile' | 'evaluate';

export interface ExpressionErrorInit {
  readonly code: string;
  readonly message: string;
  readonly stage: ExpressionStage;
  readonly source: string;
  readonly position?: number;
}

/** The only error type thrown by `compileExpression` and by compiled `evaluate` calls. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  readonly code: string;
  readonly position?: number;
  readonly stage: ExpressionStage;
  readonly source: string;

  constructor(init: ExpressionErrorInit) {
    super(init.message);
    this.code = init.code;
    this.stage = init.stage;
    this.source = init.source;
    if (init.position !== undefined) this.position = init.position;
  }
}

/** Error codes of our own (jsonata's codes are used verbatim for the errors jsonata defines). */
export const RS_UNSUPPORTED = 'RS_UNSUPPORTED';
export const RS_TOO_DEEP = 'RS_TOO_DEEP';
export const RS_UNKNOWN_ROOT = 'RS_UNKNOWN_ROOT';
export const RS_RUNAWAY = 'RS_RUNAWAY';
export const RS_INTERNAL = 'RS_INTERNAL';
export const RS_INVALID_INPUT = 'RS_INVALID_INPUT';
/** A shared budget (a decision's, a request's) ran out during this evaluation. */
export const RS_BUDGET = 'RS_BUDGET';

export const RUNAWAY_MESSAGE = 'The expression exceeded its evaluation budget';
export const BUDGET_MESSAGE = 'The expression ran out of the budget it shares with the other custom expressions';

/**
 * A jsonata-style dynamic error raised while evaluating. Mirrors the plain objects jsonata throws
 * (code plus the fields its message templates refer to), so messages and positions can be rendered
 * exactly as jsonata renders them. Not an Error subclass: no stack capture on the hot path.
 */
export class EvalFault {
  readonly code: string;
  position?: number;
  token?: string;
  readonly value?: unknown;
  readonly value2?: unknown;
  readonly index?: number;
  readonly type?: string;
  readonly exp?: unknown;

  constructor(code: string, details: Partial<Omit<EvalFault, 'code'>> = {}) {
    this.code = code;
    Object.assign(this, details);
  }
}

/** Thrown when an evaluation exhausts its step budget; never annotated or caught by operators. */
export class BudgetExceeded {
  readonly steps: number;
  constructor(steps: number) {
    this.steps = steps;
  }
}

/** jsonata's message templates for the dynamic errors the supported subset can raise. */
const MESSAGE_TEMPLATES: Readonly<Record<string, string>> = {
  T0410: 'Argument {{index}} of function {{token}} does not match function signature',
  T0411: 'Context value is not a compatible type with argument {{index}} of function {{token}}',
  T0412: 'Argument {{index}} of function {{token}} must be an array of {{type}}',
  D1001: 'Number out of range: {{value}}',
  D1002: 'Cannot negate a non-numeric value: {{value}}',
  T2001: 'The left side of the {{token}} operator must evaluate to a number',
  T2002: 'The right side of the {{token}} operator must evaluate to a number',
  T2009: 'The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type',
  T2010: 'The expressions either side of operator {{token}} must evaluate to numeric or string values',
  D3001: 'Attempting to invoke string function on Infinity or NaN',
  D3030: 'Unable to cast value to a number: {{value}}',
  D3060: 'The sqrt function cannot be applied to a negative number: {{value}}',
  D3061: 'The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{exp}}',
  RS_INVALID_INPUT:
    'Argument {{index}} of function {{token}} is an input object carrying jsonata\'s internal function marker (_jsonata_function or _jsonata_lambda), which cannot be passed to a function',
};

/** Same substitution rules as jsonata's populateMessage: {{x}} inserts JSON.stringify(x). */
export function renderFaultMessage(fault: EvalFault): string {
  const template = MESSAGE_TEMPLATES[fault.code];
  if (template === undefined) return fault.code;
  const fields = fault as unknown as Record<string, unknown>;
  return template.replace(/\{\{([^}]+)}}/g, (_match, name: string) => String(safeStringify(fields[name])));
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserialisable value]';
  }
}
