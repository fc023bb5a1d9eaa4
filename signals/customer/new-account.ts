import { defineSignal } from '../../sdk/index.ts';
import { daysBetween, ramp, round2 } from '../support.ts';

interface Params {
  maxDays: number;
}

/** An account opened only days before the order, return or refund; the younger, the stronger. */
export default defineSignal<Params>({
  meta: {
    id: 'customer.new-account',
    version: '1.0.0',
    title: 'New account',
    description:
      'The customer account was created only recently. Fresh accounts are common for throwaway identities used for fraud and return abuse.',
    category: 'customer',
    appliesTo: ['order', 'return', 'refund'],
    defaultWeight: 8,
    params: {
      type: 'object',
      properties: {
        maxDays: { type: 'integer', minimum: 1, maximum: 3650, default: 30, description: 'Accounts younger than this many days count as new.' },
      },
    },
    needs: ['customer'],
    messages: {
      young: 'Account created {{accountDays}} days ago (under {{maxDays}}).',
      established: 'Account created {{accountDays}} days ago.',
      unknown: 'Guest checkout or unknown account creation date.',
    },
  },
  evaluate(ctx, params) {
    const createdAt = ctx.customer?.createdAt;
    if (createdAt === undefined || Number.isNaN(Date.parse(createdAt))) return { status: 'insufficient_data', messageId: 'unknown' };
    // An account created at checkout can carry a time a moment after the order: treat as age 0.
    const age = Math.max(0, daysBetween(createdAt, ctx.now));
    const evidence = { accountDays: round2(age), maxDays: params.maxDays };
    if (age >= params.maxDays) return { status: 'no_hit', messageId: 'established', evidence };
    // Full strength for a brand-new account, falling to 0.3 at maxDays.
    return { status: 'hit', strength: ramp(params.maxDays - age, 0, params.maxDays), messageId: 'young', evidence };
  },
});
