import { isDeepStrictEqual } from 'node:util';
import type { SignalContext } from '../context.ts';
import { isSignal, resolveParams } from '../defineSignal.ts';
import { deepFreeze } from '../params.ts';
import { normalizeOutcome } from '../result.ts';
import { CONTEXT_NEEDS, type AnySignal, type ContextNeed, type SignalResult, type SignalStatus } from '../signal.ts';

/** One case: a context, optional params, and what the result must look like. */
export interface SignalTestCase {
  name?: string;
  ctx: SignalContext;
  params?: Record<string, unknown>;
  /** Exact strength, or an inclusive [min, max] range. */
  strength?: number | readonly [number, number];
  /** Keys that must appear in the evidence with these (deep-equal) values. */
  evidence?: Record<string, unknown>;
  messageId?: string;
  /** Exact rendered message, or a pattern it must match. */
  message?: string | RegExp;
}

/** Params the signal must refuse, with the JSON pointer of the problem if you want it checked. */
export interface InvalidParamsCase {
  name?: string;
  params: unknown;
  pointer?: string;
}

export interface SignalTestCases {
  hits: SignalTestCase[];
  quiet: SignalTestCase[];
  insufficient?: SignalTestCase[];
  invalidParams?: InvalidParamsCase[];
}

type Describe = (name: string, body: () => void) => unknown;
type It = (name: string, body: () => void) => unknown;

export interface SignalTesterOptions {
  /** Test-framework hooks; default to global `describe`/`it` when present (vitest globals, mocha, jest). */
  describe?: Describe;
  it?: It;
}

const GROUP_STATUS: Record<'hits' | 'quiet' | 'insufficient', SignalStatus> = {
  hits: 'hit',
  quiet: 'no_hit',
  insufficient: 'insufficient_data',
};

/** Thrown for a failed case; the message says which case and what differed. */
export class SignalTestFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SignalTestFailure';
  }
}

/**
 * Table-driven tests for a signal, modelled on ESLint's RuleTester: `hits`, `quiet` and
 * `insufficient` cases each assert the status, and optionally strength, evidence and message.
 *
 * Strict on purpose, for built-in and third-party signals alike: every case also checks that
 * the signal is pure (frozen context, no clock or randomness, same result twice), reads only
 * the context fields it declares in `meta.needs`, applies to the case's subject kind, and
 * returns a result that honours the contract. Duplicate cases and unused message ids fail.
 */
export class SignalTester {
  private readonly describe: Describe;
  private readonly it: It;

  constructor(options: SignalTesterOptions = {}) {
    const globals = globalThis as { describe?: Describe; it?: It };
    this.describe = options.describe ?? globals.describe ?? ((_name, body) => body());
    this.it = options.it ?? globals.it ?? ((_name, body) => body());
  }

  run(signal: AnySignal, cases: SignalTestCases): void {
    if (!isSignal(signal)) throw new SignalTestFailure('SignalTester.run expects a signal made by defineSignal');
    const id = signal.meta.id;
    this.describe(id, () => {
      this.it('has hit and quiet cases, none duplicated', () => checkCaseTable(cases));
      for (const group of ['hits', 'quiet', 'insufficient'] as const) {
        const groupCases = cases[group] ?? [];
        if (groupCases.length === 0) continue;
        this.describe(group, () => {
          groupCases.forEach((testCase, index) => {
            this.it(testCase.name ?? `${group}[${index}]`, () => {
              runCase(signal, testCase, GROUP_STATUS[group], `${id} ${group}[${index}]`);
            });
          });
        });
      }
      const invalid = cases.invalidParams ?? [];
      if (invalid.length > 0) {
        this.describe('invalidParams', () => {
          invalid.forEach((testCase, index) => {
            this.it(testCase.name ?? `invalidParams[${index}]`, () => checkInvalidParams(signal, testCase));
          });
        });
      }
      this.it('produces every declared message', () => checkMessagesUsed(signal, cases));
    });
  }
}

function checkCaseTable(cases: SignalTestCases): void {
  if (!cases.hits?.length) throw new SignalTestFailure('give at least one case in "hits"');
  if (!cases.quiet?.length) throw new SignalTestFailure('give at least one case in "quiet"');
  const seen = new Map<string, string>();
  for (const group of ['hits', 'quiet', 'insufficient'] as const) {
    (cases[group] ?? []).forEach((testCase, index) => {
      const key = JSON.stringify([testCase.ctx, testCase.params ?? {}]);
      const where = `${group}[${index}]`;
      const earlier = seen.get(key);
      if (earlier) throw new SignalTestFailure(`${where} duplicates ${earlier} (same context and params)`);
      seen.set(key, where);
    });
  }
}

function runCase(signal: AnySignal, testCase: SignalTestCase, expected: SignalStatus, label: string): SignalResult {
  const fail = (message: string): never => {
    throw new SignalTestFailure(`${label}: ${message}`);
  };
  const kind = testCase.ctx.subject.kind;
  if (!signal.meta.appliesTo.includes(kind)) {
    fail(`the case's subject is a ${kind}, but the signal applies to ${signal.meta.appliesTo.join(', ')}`);
  }
  const resolved = resolveParams(signal, testCase.params);
  if (!resolved.ok) {
    fail(`params are invalid: ${resolved.problems.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`);
  }
  const params = resolved.ok ? resolved.params : {};
  const first = evaluateGuarded(signal, testCase.ctx, params, fail);
  const second = evaluateGuarded(signal, testCase.ctx, params, fail);
  if (!isDeepStrictEqual(first, second)) {
    fail(`not deterministic: two runs on the same context gave ${JSON.stringify(first)} and ${JSON.stringify(second)}`);
  }
  if (first.status !== expected) {
    fail(`expected status ${expected}, got ${first.status} (${first.message || 'no message'})`);
  }
  checkStrength(first, testCase, fail);
  for (const [key, value] of Object.entries(testCase.evidence ?? {})) {
    if (!isDeepStrictEqual(first.evidence[key], value)) {
      fail(`evidence.${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(first.evidence[key])}`);
    }
  }
  if (testCase.messageId !== undefined && first.messageId !== testCase.messageId) {
    fail(`expected messageId ${testCase.messageId}, got ${first.messageId ?? 'none'}`);
  }
  const message = testCase.message;
  if (typeof message === 'string' && first.message !== message) fail(`expected message "${message}", got "${first.message}"`);
  if (message instanceof RegExp && !message.test(first.message)) fail(`message "${first.message}" does not match ${message}`);
  return first;
}

function checkStrength(result: SignalResult, testCase: SignalTestCase, fail: (m: string) => never): void {
  const want = testCase.strength;
  if (want === undefined) return;
  const [min, max] = typeof want === 'number' ? [want - 1e-9, want + 1e-9] : want;
  if (result.strength < min || result.strength > max) {
    fail(`strength ${result.strength} is outside the expected ${typeof want === 'number' ? want : `[${min}, ${max}]`}`);
  }
}

/**
 * Evaluates with a frozen copy of the context whose undeclared parts throw when read, and
 * with the clock and randomness disabled, then checks the outcome against the contract.
 */
function evaluateGuarded(
  signal: AnySignal,
  ctx: SignalContext,
  params: Readonly<object>,
  fail: (m: string) => never,
): SignalResult {
  const guardedCtx = guardUndeclaredNeeds(deepFreeze(structuredClone(ctx)), signal.meta.needs, signal.meta.id);
  const outcome = withImpureGlobalsDisabled(() => {
    try {
      return signal.evaluate(guardedCtx, params);
    } catch (error) {
      return fail(`evaluate threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  });
  try {
    return normalizeOutcome(signal.meta, outcome);
  } catch (error) {
    return fail((error as Error).message);
  }
}

function guardUndeclaredNeeds(ctx: SignalContext, needs: readonly ContextNeed[], id: string): SignalContext {
  const declared = new Set(needs);
  const poison = (need: ContextNeed, target: object): object =>
    new Proxy(target, {
      get(_target, property) {
        throw new SignalTestFailure(`${id} read ctx.${need}.${String(property)} but meta.needs does not declare "${need}"`);
      },
    });
  const history = { ...ctx.history };
  for (const need of CONTEXT_NEEDS) {
    if (!need.startsWith('history.') || declared.has(need)) continue;
    const key = need.slice('history.'.length) as keyof typeof history;
    (history as Record<string, unknown>)[key] = poison(need, history[key] as object);
  }
  const guard = <T>(need: ContextNeed, value: T): T =>
    declared.has(need) || value === null || typeof value !== 'object' ? value : (poison(need, value as object) as T);
  return Object.freeze({
    ...ctx,
    customer: guard('customer', ctx.customer),
    history: Object.freeze(history),
    baseline: guard('baseline', ctx.baseline),
    lists: guard('lists', ctx.lists),
    derived: guard('derived', ctx.derived),
  });
}

class ImpureCallError extends SignalTestFailure {}

function withImpureGlobalsDisabled<T>(body: () => T): T {
  const RealDate = Date;
  const realRandom = Math.random;
  const impure = (what: string) => () => {
    throw new ImpureCallError(`signals must be pure: ${what} was called (use ctx.now; no clock or randomness)`);
  };
  class ClockFreeDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) impure('new Date()')();
      super(...(args as [string]));
    }
    static override now = impure('Date.now()') as () => number;
  }
  globalThis.Date = ClockFreeDate as DateConstructor;
  Math.random = impure('Math.random()') as () => number;
  try {
    return body();
  } finally {
    globalThis.Date = RealDate;
    Math.random = realRandom;
  }
}

function checkInvalidParams(signal: AnySignal, testCase: InvalidParamsCase): void {
  const resolved = resolveParams(signal, testCase.params);
  if (resolved.ok) throw new SignalTestFailure(`params ${JSON.stringify(testCase.params)} were accepted; expected a refusal`);
  if (testCase.pointer !== undefined && !resolved.problems.some((p) => p.pointer === testCase.pointer)) {
    throw new SignalTestFailure(
      `expected a problem at ${testCase.pointer}, got ${resolved.problems.map((p) => p.pointer).join(', ')}`,
    );
  }
}

function checkMessagesUsed(signal: AnySignal, cases: SignalTestCases): void {
  const declared = Object.keys(signal.meta.messages ?? {});
  if (declared.length === 0) return;
  const used = new Set<string>();
  for (const group of ['hits', 'quiet', 'insufficient'] as const) {
    for (const testCase of cases[group] ?? []) {
      const resolved = resolveParams(signal, testCase.params);
      if (!resolved.ok) continue;
      try {
        const outcome = signal.evaluate(deepFreeze(structuredClone(testCase.ctx)), resolved.params);
        if (outcome?.messageId) used.add(outcome.messageId);
      } catch {
        // Reported by the case itself.
      }
    }
  }
  const unused = declared.filter((messageId) => !used.has(messageId));
  if (unused.length > 0) {
    throw new SignalTestFailure(`no case produces message${unused.length > 1 ? 's' : ''} ${unused.join(', ')}; add a case or remove it`);
  }
}
