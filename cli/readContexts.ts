import type { SignalContext } from '../sdk/index.ts';
import { readJsonLines, type JsonLine } from '../server/history/readJsonLines.ts';

/** Reads a JSONL file of point-in-time contexts, one per line; bad lines are reported by number. */
export function readContexts(path: string): AsyncGenerator<JsonLine<SignalContext>> {
  return readJsonLines<SignalContext>(path, 'events', contextProblem);
}

const HISTORY_KEYS = ['orders', 'fulfillments', 'returns', 'refunds', 'chargebacks', 'decisions', 'outcomes'] as const;

/** The first reason a value is not a usable context, or undefined. */
export function contextProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'a context must be a JSON object';
  const ctx = value as Record<string, any>;
  if (typeof ctx.shopId !== 'string') return 'shopId must be a string';
  if (typeof ctx.now !== 'string' || Number.isNaN(Date.parse(ctx.now))) return 'now must be an ISO 8601 time';
  const subject = ctx.subject;
  if (subject === null || typeof subject !== 'object') return 'subject is missing';
  if (!['order', 'return', 'refund'].includes(subject.kind)) return 'subject.kind must be order, return or refund';
  if (typeof subject.id !== 'string') return 'subject.id must be a string (a Shopify GID, never a number)';
  if (typeof subject.at !== 'string' || Number.isNaN(Date.parse(subject.at))) return 'subject.at must be an ISO 8601 time';
  if (subject.order === null || typeof subject.order !== 'object') return 'subject.order is missing';
  if (subject.kind === 'return' && (subject.return === null || typeof subject.return !== 'object')) return 'subject.return is missing';
  if (subject.kind === 'refund' && (subject.refund === null || typeof subject.refund !== 'object')) return 'subject.refund is missing';
  if (ctx.history === null || typeof ctx.history !== 'object') return 'history is missing';
  for (const key of HISTORY_KEYS) {
    if (!Array.isArray(ctx.history[key])) return `history.${key} must be an array`;
  }
  if (ctx.baseline === null || typeof ctx.baseline !== 'object') return 'baseline is missing';
  if (ctx.lists === null || typeof ctx.lists !== 'object') return 'lists is missing';
  if (ctx.derived === null || typeof ctx.derived !== 'object') return 'derived is missing';
  if (Date.parse(ctx.now) < Date.parse(subject.at)) return 'now is before subject.at: a context cannot judge an event before it happened';
  return undefined;
}
