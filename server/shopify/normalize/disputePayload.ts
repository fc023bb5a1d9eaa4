import { payloadValidator } from './validatePayload.ts';
import { ID, MONEY, nullable, STRING, TIME, type Money, type NumericId } from './schemaParts.ts';

/** The fields of a disputes/* body we read. */
export interface DisputePayload {
  id: NumericId;
  order_id: NumericId | null;
  type: string;
  amount: Money;
  currency?: string | null;
  reason?: string | null;
  status: string;
  initiated_at: string;
  evidence_sent_on?: string | null;
  finalized_on?: string | null;
}

export const DISPUTE_SCHEMA = {
  type: 'object',
  required: ['id', 'order_id', 'type', 'amount', 'status', 'initiated_at'],
  properties: {
    id: ID,
    order_id: nullable(ID),
    type: STRING,
    amount: MONEY,
    currency: nullable(STRING),
    reason: nullable(STRING),
    status: STRING,
    initiated_at: TIME,
    evidence_sent_on: nullable(TIME),
    finalized_on: nullable(TIME),
  },
} as const;

/** Checks a disputes/* body; throws PayloadError naming the first problem. */
export const disputePayload = payloadValidator<DisputePayload>('disputes/*', DISPUTE_SCHEMA);
