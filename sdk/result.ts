import type { SignalContext } from './context.ts';
import type { Evidence, Signal, SignalMeta, SignalOutcome, SignalResult } from './signal.ts';

/** Evidence larger than this (as JSON) is refused: traces are stored for every decision. */
export const MAX_EVIDENCE_BYTES = 4096;

const OUTCOME_STATUSES = new Set(['hit', 'no_hit', 'insufficient_data', 'error']);

/** A result a signal returned that breaks the contract (bad status, strength, evidence…). */
export class SignalResultError extends Error {
  readonly signalId: string;
  constructor(signalId: string, message: string) {
    super(`${signalId} returned a malformed result: ${message}`);
    this.name = 'SignalResultError';
    this.signalId = signalId;
  }
}

/**
 * Checks an outcome against the contract and fills defaults: strength 1 for a hit and 0
 * otherwise, empty evidence, the message rendered from its template.
 */
export function normalizeOutcome(meta: Readonly<SignalMeta>, outcome: SignalOutcome): SignalResult {
  const fail = (message: string): never => {
    throw new SignalResultError(meta.id, message);
  };
  if (outcome === null || typeof outcome !== 'object') fail(`expected an object, got ${describe(outcome)}`);
  if (!OUTCOME_STATUSES.has(outcome.status)) {
    fail(`status must be one of hit, no_hit, insufficient_data, error; got ${describe(outcome.status)}`);
  }
  const strength = outcome.strength ?? (outcome.status === 'hit' ? 1 : 0);
  if (typeof strength !== 'number' || !Number.isFinite(strength) || strength < 0 || strength > 1) {
    fail(`strength must be a number from 0 to 1; got ${describe(outcome.strength)}`);
  }
  if (outcome.status === 'hit' && strength === 0) fail('a hit must have a strength above 0');
  const evidence = outcome.evidence ?? {};
  checkEvidence(evidence, fail);
  const message = renderMessage(meta, outcome, evidence, fail);
  const result: SignalResult = { status: outcome.status, strength, evidence, message };
  if (outcome.messageId !== undefined) result.messageId = outcome.messageId;
  return result;
}

function checkEvidence(evidence: unknown, fail: (message: string) => never): void {
  if (evidence === null || typeof evidence !== 'object' || Array.isArray(evidence)) {
    fail(`evidence must be a plain object; got ${describe(evidence)}`);
  }
  let json: string;
  try {
    json = JSON.stringify(evidence, (_key, value: unknown) => {
      if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`a non-finite number (${value})`);
      if (typeof value === 'bigint' || typeof value === 'function' || typeof value === 'symbol') {
        throw new Error(`a ${typeof value}`);
      }
      return value;
    });
  } catch (error) {
    return fail(`evidence must be plain JSON, found ${(error as Error).message}`);
  }
  if (json.length > MAX_EVIDENCE_BYTES) {
    fail(`evidence is ${json.length} bytes of JSON; keep it under ${MAX_EVIDENCE_BYTES} (counts and ids, not lists of records)`);
  }
}

function renderMessage(
  meta: Readonly<SignalMeta>,
  outcome: SignalOutcome,
  evidence: Evidence,
  fail: (message: string) => never,
): string {
  if (outcome.messageId !== undefined) {
    const template = meta.messages?.[outcome.messageId];
    if (template === undefined) {
      const known = Object.keys(meta.messages ?? {}).join(', ') || 'none declared';
      fail(`unknown messageId "${outcome.messageId}" (meta.messages has: ${known})`);
    }
    return fillTemplate(template!, outcome.data ?? evidence, meta.id, fail);
  }
  if (typeof outcome.message === 'string') return outcome.message;
  if (outcome.status === 'no_hit') return '';
  return fail(`a ${outcome.status} result needs a messageId or a message`);
}

const PLACEHOLDER = /\{\{\s*([A-Za-z_$][\w$]*)\s*\}\}/g;

/** Fills `{{name}}` slots; a slot with no value is a contract error, not a silent blank. */
export function fillTemplate(
  template: string,
  data: Readonly<Record<string, unknown>>,
  signalId: string,
  fail: (message: string) => never = (m) => {
    throw new SignalResultError(signalId, m);
  },
): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    if (!(name in data)) fail(`message placeholder {{${name}}} has no value in data or evidence`);
    const value = data[name];
    return typeof value === 'number' ? formatNumber(value) : String(value);
  });
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  return Array.isArray(value) ? 'an array' : typeof value;
}

/**
 * Runs one signal on one context and never throws: a signal that throws or breaks the
 * contract yields `status: 'error'` with the reason, so the rest of the decision still scores.
 */
export function evaluateSignal<P extends object>(
  signal: Signal<P>,
  ctx: SignalContext,
  params: Readonly<P>,
): SignalResult {
  try {
    return normalizeOutcome(signal.meta, signal.evaluate(ctx, params));
  } catch (error) {
    return errorResult(error);
  }
}

/** The result recorded for a signal that failed. */
export function errorResult(error: unknown): SignalResult {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : `threw ${String(error)}`;
  return { status: 'error', strength: 0, evidence: {}, message };
}
