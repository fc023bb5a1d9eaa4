import { defineSignal } from '../../sdk/index.ts';
import type { IsoTime } from '../../sdk/index.ts';
import { DAY_MS, matchesKeyword, ms, round2 } from '../support.ts';

interface Params {
  keywords: string[];
  eventDates: string[];
  maxDaysBefore: number;
  maxDaysAfter: number;
}

interface EventFit {
  event: string;
  daysBefore: number;
  daysAfter: number;
  strength: number;
}

/** Start of the UTC day `MM-DD` in `year`, or null when that day does not exist (02-29). */
function eventStart(year: number, mmdd: string): number | null {
  const start = Date.parse(`${year}-${mmdd}T00:00:00Z`);
  return new Date(start).toISOString().slice(5, 10) === mmdd ? start : null;
}

/**
 * The event (in the order's year or the next) the order came shortly before and the return
 * shortly after: ordered at most `maxDaysBefore` before the event day, before it ended, and
 * returned within `maxDaysAfter` after it ended. The closest fit wins.
 */
function bestEvent(orderedAt: IsoTime, returnedAt: IsoTime, params: Params): EventFit | null {
  const ordered = ms(orderedAt);
  const returned = ms(returnedAt);
  const year = new Date(ordered).getUTCFullYear();
  let best: EventFit | null = null;
  for (const event of params.eventDates) {
    for (const start of [eventStart(year, event), eventStart(year + 1, event)]) {
      if (start === null) continue;
      const end = start + DAY_MS;
      const daysBefore = Math.max(0, (start - ordered) / DAY_MS);
      const daysAfter = (returned - end) / DAY_MS;
      if (ordered >= end || daysBefore > params.maxDaysBefore || daysAfter < 0 || daysAfter > params.maxDaysAfter) continue;
      const strength = 0.5 + 0.25 * (1 - daysBefore / params.maxDaysBefore) + 0.25 * (1 - daysAfter / params.maxDaysAfter);
      if (!best || strength > best.strength) best = { event, daysBefore, daysAfter, strength };
    }
  }
  return best;
}

/** Occasion wear bought just before a holiday or party date and returned right after it. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.event-wardrobing',
    version: '1.0.0',
    title: 'Event wardrobing',
    description:
      'Formal or occasion wear (gowns, suits, costumes…) was ordered shortly before a party date such as Christmas, New Year’s Eve, Valentine’s Day or Halloween and returned right after it: a sign it was worn for the event. Dates are UTC calendar days.',
    category: 'pattern',
    appliesTo: ['return'],
    defaultWeight: 15,
    params: {
      type: 'object',
      properties: {
        keywords: {
          type: 'array',
          items: { type: 'string', minLength: 1, maxLength: 60 },
          minItems: 1,
          maxItems: 200,
          default: ['dress', 'gown', 'suit', 'tuxedo', 'blazer', 'costume', 'heels', 'clutch', 'jumpsuit', 'waistcoat', 'bow tie'],
          description: 'Words in the product type or title that mark formal or occasion wear (plurals match too).',
        },
        eventDates: {
          type: 'array',
          items: { type: 'string', pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' },
          minItems: 1,
          maxItems: 60,
          uniqueItems: true,
          default: ['12-24', '12-25', '12-31', '02-14', '10-31'],
          description: 'Event days as MM-DD (UTC), checked every year.',
        },
        maxDaysBefore: {
          type: 'integer',
          minimum: 1,
          maximum: 60,
          default: 14,
          description: 'Most days between the order and the event.',
        },
        maxDaysAfter: {
          type: 'integer',
          minimum: 1,
          maximum: 30,
          default: 7,
          description: 'Most days between the end of the event day and the return request.',
        },
      },
    },
    needs: ['subject'],
    messages: {
      event:
        '{{formalUnits}} occasion item(s) ordered {{daysBefore}} days before {{event}} and returned {{daysAfter}} days after it.',
      normal: 'No occasion wear returned around an event date.',
      unknownItems: 'The returned items have no title or product type to judge.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind !== 'return') return { status: 'no_hit' };
    let known = 0;
    let formalUnits = 0;
    for (const item of subject.return.lineItems) {
      const line = subject.order.lineItems.find((l) => l.id === item.lineItemId);
      if (!line || (!line.title && !line.productType)) continue;
      known += item.quantity;
      if (matchesKeyword(line, params.keywords)) formalUnits += item.quantity;
    }
    if (known === 0) return { status: 'insufficient_data', messageId: 'unknownItems' };
    if (formalUnits === 0) return { status: 'no_hit', messageId: 'normal' };
    const fit = bestEvent(subject.order.createdAt, subject.return.createdAt, params);
    if (!fit) return { status: 'no_hit', messageId: 'normal' };
    const evidence = { event: fit.event, daysBefore: round2(fit.daysBefore), daysAfter: round2(fit.daysAfter), formalUnits };
    return { status: 'hit', strength: fit.strength, messageId: 'event', evidence };
  },
});
