import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, makeRefund, makeReturn, refundContext, returnContext } from '../../sdk/testing/index.ts';
import repeatHighValue from './repeat-high-value-returns.ts';

const orderAt = (price: number, createdAt = '2026-03-01T10:00:00Z') =>
  makeOrder({ createdAt, lineItems: [makeLineItem({ price, title: 'Wool coat' })] });
const pastReturn = (price: number, createdAt: string) => {
  const order = orderAt(price, createdAt);
  return { order, ret: makeReturn(order, { createdAt }) };
};
const pastPairs = [pastReturn(350, '2026-01-05T00:00:00Z'), pastReturn(400, '2026-02-05T00:00:00Z'), pastReturn(30, '2026-02-10T00:00:00Z')];
const coat = orderAt(350);
const history = (pairs = pastPairs) => ({ orders: [...pairs.map((p) => p.order), coat], returns: pairs.map((p) => p.ret) });
const subjectReturn = (order = coat) => makeReturn(order, { createdAt: '2026-03-20T10:00:00Z' });
const boots = orderAt(120);
const cheap = orderAt(60);
const baseline = { measures: { 'lineItem.price': { p50: 40, p75: 70, p90: 100, p95: 150, p99: 300, n: 500 } } };

new SignalTester({ describe, it }).run(repeatHighValue, {
  hits: [
    {
      name: 'third coat returned',
      ctx: returnContext(subjectReturn(), coat, { history: history() }),
      strength: 0.4,
      evidence: { count: 3, price: 350, threshold: 200 },
      messageId: 'repeated',
    },
    {
      name: 'a refund without a return, judged against the shop p90',
      ctx: refundContext(makeRefund(boots, { createdAt: '2026-03-20T10:00:00Z' }), boots, {
        history: history([...pastPairs, pastReturn(110, '2026-02-20T00:00:00Z')]),
        baseline,
      }),
      strength: [0.6, 0.6],
      evidence: { count: 4, price: 120, threshold: 100 },
    },
  ],
  quiet: [
    { name: 'a cheap item', ctx: returnContext(subjectReturn(cheap), cheap, { history: history() }), messageId: 'notHighValue' },
    { name: 'one earlier high-value return', ctx: returnContext(subjectReturn(), coat, { history: history(pastPairs.slice(1)) }), messageId: 'normal', evidence: { count: 2 } },
    { name: 'earlier returns outside the window', ctx: returnContext(subjectReturn(), coat, { history: history() }), params: { lookbackDays: 30 } },
  ],
  insufficient: [{ name: 'guest checkout', ctx: returnContext(subjectReturn(), coat, { customer: null }), messageId: 'guest' }],
  invalidParams: [{ name: 'one return is not repeated', params: { minReturns: 1 }, pointer: '/minReturns' }],
});
