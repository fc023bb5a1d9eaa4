import { HISTORY_EVENT_TYPES, type HistoryEvent } from '../../engine/history/index.ts';
import { readJsonLines, type JsonLine } from './readJsonLines.ts';

/**
 * The history file format: a normalized history, JSONL of `{ type, <type>: record }` (records in
 * the shapes of `sdk/context.ts`), as the demo generator and `refundsentry import-uci` write it.
 * The backfill's file source and the CLI (`replay`, `fit`) read it here.
 */

/** The record field each event type carries, and the time field that orders it. */
const SHAPES: Record<HistoryEvent['type'], { time: string; needs: string[] }> = {
  customer: { time: 'createdAt', needs: ['tags', 'identity'] },
  order: { time: 'createdAt', needs: ['lineItems', 'totalPrice', 'identity'] },
  fulfillment: { time: 'createdAt', needs: ['orderId'] },
  return: { time: 'createdAt', needs: ['orderId', 'lineItems'] },
  refund: { time: 'createdAt', needs: ['orderId', 'amount', 'method'] },
  chargeback: { time: 'initiatedAt', needs: ['orderId', 'amount'] },
  outcome: { time: 'at', needs: ['subjectId', 'label'] },
  transaction: { time: 'createdAt', needs: ['orderId', 'kind', 'status', 'amount'] },
  risk: { time: 'assessedAt', needs: ['orderId', 'level'] },
};

/** Reads a normalized history (JSONL of `{ type, <type>: record }`), reporting bad lines by number. */
export function readHistory(path: string): AsyncGenerator<JsonLine<HistoryEvent>> {
  return readJsonLines<HistoryEvent>(path, 'history', historyEventProblem);
}

export function historyEventProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'an event must be a JSON object';
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !(HISTORY_EVENT_TYPES as readonly string[]).includes(type)) {
    return `type must be one of ${HISTORY_EVENT_TYPES.join(', ')}`;
  }
  const record = (value as Record<string, unknown>)[type] as Record<string, unknown> | undefined;
  if (record === null || typeof record !== 'object') return `a ${type} event needs a "${type}" object`;
  const shape = SHAPES[type as HistoryEvent['type']];
  if (type !== 'outcome' && typeof record.id !== 'string') return `${type}.id must be a string (a Shopify GID, never a number)`;
  const time = record[shape.time];
  if (type !== 'customer' || time !== undefined) {
    if (typeof time !== 'string' || Number.isNaN(Date.parse(time))) return `${type}.${shape.time} must be an ISO 8601 time`;
  }
  for (const field of shape.needs) if (record[field] === undefined) return `${type}.${field} is missing`;
  return undefined;
}
