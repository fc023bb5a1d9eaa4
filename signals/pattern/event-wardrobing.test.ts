import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, makeReturn, returnContext } from '../../sdk/testing/index.ts';
import eventWardrobing from './event-wardrobing.ts';

const ctxFor = (title: string | undefined, orderedAt: string, returnedAt: string) => {
  const order = makeOrder({ createdAt: orderedAt, lineItems: [makeLineItem({ title, productType: undefined, price: 240 })] });
  return returnContext(makeReturn(order, { createdAt: returnedAt }), order);
};

new SignalTester({ describe, it }).run(eventWardrobing, {
  hits: [
    {
      name: "gown bought before New Year's Eve, returned two days into January",
      ctx: ctxFor('Velvet evening gown', '2025-12-20T10:00:00Z', '2026-01-02T10:00:00Z'),
      strength: [0.74, 0.78],
      evidence: { event: '12-31', daysBefore: 10.58, daysAfter: 1.42, formalUnits: 1 },
      messageId: 'event',
    },
    {
      name: 'costume bought three days before Halloween, returned the day after',
      ctx: ctxFor('Witch costume', '2025-10-28T12:00:00Z', '2025-11-01T12:00:00Z'),
      strength: [0.93, 0.95],
      evidence: { event: '10-31', daysBefore: 2.5, daysAfter: 0.5 },
    },
    {
      name: 'a custom event date in the next year',
      ctx: ctxFor('Tuxedo jacket', '2025-12-28T00:00:00Z', '2026-01-03T00:00:00Z'),
      params: { eventDates: ['01-01'] },
      evidence: { event: '01-01', daysBefore: 4, daysAfter: 1 },
    },
  ],
  quiet: [
    { name: 'no event near the dates', ctx: ctxFor('Velvet evening gown', '2025-11-01T10:00:00Z', '2025-11-20T10:00:00Z'), messageId: 'normal' },
    { name: 'returned weeks after the event', ctx: ctxFor('Velvet evening gown', '2025-12-20T10:00:00Z', '2026-01-20T10:00:00Z') },
    { name: 'ordered a month before', ctx: ctxFor('Velvet evening gown', '2025-11-25T10:00:00Z', '2025-12-27T10:00:00Z') },
    { name: 'not occasion wear', ctx: ctxFor('Wool socks', '2025-12-20T10:00:00Z', '2026-01-02T10:00:00Z') },
  ],
  insufficient: [
    { name: 'items without title or type', ctx: ctxFor(undefined, '2025-12-20T10:00:00Z', '2026-01-02T10:00:00Z'), messageId: 'unknownItems' },
  ],
  invalidParams: [
    { name: 'malformed event date', params: { eventDates: ['2025-12-31'] }, pointer: '/eventDates/0' },
    { name: 'zero days after', params: { maxDaysAfter: 0 }, pointer: '/maxDaysAfter' },
  ],
});
