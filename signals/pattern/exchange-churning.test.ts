import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import exchangeChurning from './exchange-churning.ts';

const order = makeOrder({ createdAt: '2026-06-01T10:00:00Z' });
const exchange = (createdAt: string, exchangeLineItemCount = 1) => makeReturn(order, { createdAt, exchangeLineItemCount });
const subject = (exchangeLineItemCount: number) => exchange('2026-06-10T10:00:00Z', exchangeLineItemCount);
const recent = [exchange('2026-02-01T00:00:00Z'), exchange('2026-04-01T00:00:00Z', 2)];
const ctxWith = (current: ReturnType<typeof subject>, past = recent) => returnContext(current, order, { history: { returns: past } });

new SignalTester({ describe, it }).run(exchangeChurning, {
  hits: [
    {
      name: 'third exchange in four months',
      ctx: ctxWith(subject(1)),
      strength: 0.4,
      evidence: { exchanges: 3, exchangedItems: 4 },
      messageId: 'churning',
    },
    {
      name: 'six exchanges',
      ctx: ctxWith(subject(2), [...recent, exchange('2026-05-01T00:00:00Z'), exchange('2026-05-15T00:00:00Z'), exchange('2026-05-20T00:00:00Z')]),
      strength: 1,
      message: '6 returns with exchanges (8 items) in the last 180 days.',
    },
  ],
  quiet: [
    { name: 'this return is a plain refund', ctx: ctxWith(subject(0)), evidence: { exchanges: 2 }, messageId: 'normal' },
    {
      name: 'older exchanges fall outside the window',
      ctx: ctxWith(subject(1), [exchange('2025-06-01T00:00:00Z'), exchange('2025-10-01T00:00:00Z'), recent[1]]),
      evidence: { exchanges: 2 },
    },
    { name: 'a higher threshold', ctx: ctxWith(subject(1)), params: { minExchanges: 4 } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: returnContext(subject(1), order, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'threshold of one', params: { minExchanges: 1 }, pointer: '/minExchanges' }],
});
