import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import reasonMonotony from './reason-monotony.ts';

const order = makeOrder();
const line = order.lineItems[0];
const withReason = (reason: string | undefined, createdAt = '2026-01-05T00:00:00Z') =>
  makeReturn(order, { createdAt, lineItems: [{ lineItemId: line.id, quantity: 1, reason }] });
const current = withReason('SIZE_TOO_SMALL', '2026-01-20T10:00:00Z');
const past = (...reasons: (string | undefined)[]) => reasons.map((reason) => withReason(reason));
const ctxWith = (history: ReturnType<typeof withReason>[], subject = current) => returnContext(subject, order, { history: { returns: history } });

new SignalTester({ describe, it }).run(reasonMonotony, {
  hits: [
    {
      name: 'always size too small, four returns',
      ctx: ctxWith(past('SIZE_TOO_SMALL', 'SIZE_TOO_SMALL', 'SIZE_TOO_SMALL')),
      strength: 0.4,
      evidence: { reason: 'SIZE_TOO_SMALL', sameReason: 4, returns: 4, sharePercent: 100 },
      messageId: 'monotone',
    },
    {
      name: 'eight of nine returns say defective, unknown ones ignored',
      ctx: ctxWith(
        [...past('DEFECTIVE', 'DEFECTIVE', 'DEFECTIVE', 'DEFECTIVE', 'DEFECTIVE', 'DEFECTIVE', 'DEFECTIVE', 'COLOR', 'UNKNOWN', undefined)],
        withReason('DEFECTIVE', '2026-01-20T10:00:00Z'),
      ),
      strength: 1,
      evidence: { reason: 'DEFECTIVE', sameReason: 8, returns: 9, sharePercent: 89 },
    },
  ],
  quiet: [
    {
      name: 'varied reasons',
      ctx: ctxWith(past('SIZE_TOO_SMALL', 'COLOR', 'STYLE', 'SIZE_TOO_SMALL')),
      evidence: { sameReason: 3, returns: 5 },
      messageId: 'normal',
    },
    { name: 'three of four is below 80%', ctx: ctxWith(past('SIZE_TOO_SMALL', 'SIZE_TOO_SMALL', 'COLOR')) },
  ],
  insufficient: [
    { name: 'three returns', ctx: ctxWith(past('SIZE_TOO_SMALL', 'SIZE_TOO_SMALL', 'UNKNOWN')), evidence: { returns: 3 }, messageId: 'tooFew' },
    { name: 'guest checkout', ctx: returnContext(current, order, { customer: null }), messageId: 'guest' },
  ],
  invalidParams: [{ name: 'share below half', params: { minShare: 0.3 }, pointer: '/minShare' }],
});
