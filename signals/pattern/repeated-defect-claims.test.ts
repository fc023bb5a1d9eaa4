import { describe, it } from 'vitest';
import { SignalTester, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import defectClaims from './repeated-defect-claims.ts';

const order = makeOrder();
const claim = (reason: string, createdAt = '2026-03-01T00:00:00Z') =>
  makeReturn(order, { createdAt, lineItems: [{ lineItemId: order.lineItems[0].id, quantity: 1, reason }] });
const current = (reason = 'DEFECTIVE') => claim(reason, '2026-06-01T10:00:00Z');
const ctxWith = (past: ReturnType<typeof claim>[], ret = current()) => returnContext(ret, order, { history: { returns: past } });

new SignalTester({ describe, it }).run(defectClaims, {
  hits: [
    {
      name: 'third claim this year',
      ctx: ctxWith([claim('WRONG_ITEM'), claim('NOT_AS_DESCRIBED'), claim('SIZE_TOO_SMALL')]),
      strength: 0.4,
      evidence: { claims: 3 },
      messageId: 'repeated',
    },
    {
      name: 'six claims',
      ctx: ctxWith(['DEFECTIVE', 'DEFECTIVE', 'WRONG_ITEM', 'DEFECTIVE', 'NOT_AS_DESCRIBED'].map((r) => claim(r)), current('WRONG_ITEM')),
      strength: 1,
      evidence: { claims: 6 },
    },
  ],
  quiet: [
    { name: 'this return is a size return', ctx: ctxWith([claim('DEFECTIVE'), claim('DEFECTIVE')], current('SIZE_TOO_SMALL')), messageId: 'noClaim' },
    { name: 'second claim only', ctx: ctxWith([claim('DEFECTIVE'), claim('COLOR')]), evidence: { claims: 2 }, messageId: 'normal' },
    { name: 'old claims outside the window', ctx: ctxWith([claim('DEFECTIVE', '2024-01-01T00:00:00Z'), claim('DEFECTIVE', '2024-02-01T00:00:00Z')]) },
    { name: 'only DEFECTIVE counts', ctx: ctxWith([claim('WRONG_ITEM'), claim('NOT_AS_DESCRIBED')]), params: { reasons: ['DEFECTIVE'] } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: returnContext(current(), order, { customer: null }), messageId: 'guest' }],
  invalidParams: [
    { name: 'not a Shopify reason', params: { reasons: ['BROKEN'] }, pointer: '/reasons/0' },
    { name: 'threshold of one', params: { minClaims: 1 }, pointer: '/minClaims' },
  ],
});
