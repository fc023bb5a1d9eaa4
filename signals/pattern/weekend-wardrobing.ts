import { defineSignal } from '../../sdk/index.ts';
import type { FulfillmentRecord, IsoTime, OrderRecord, ReturnRecord } from '../../sdk/index.ts';
import { daysBetween, deliveredAt, matchesKeyword, ramp, round2, weekdayUtc } from '../support.ts';

interface Params {
  keywords: string[];
  maxDays: number;
  priorForFull: number;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
/** Delivered Thursday or Friday, returned the following Sunday to Tuesday (UTC). */
const DELIVERY_DAYS = [4, 5];
const RETURN_DAYS = [0, 1, 2];


/** Units of the return whose order line is described, and those of them in a worn category. */
function wornUnits(ret: ReturnRecord, order: OrderRecord, keywords: readonly string[]): { known: number; worn: number } {
  let known = 0;
  let worn = 0;
  for (const item of ret.lineItems) {
    const line = order.lineItems.find((l) => l.id === item.lineItemId);
    if (!line || (!line.title && !line.productType)) continue;
    known += item.quantity;
    if (matchesKeyword(line, keywords)) worn += item.quantity;
  }
  return { known, worn };
}

/** Days held when delivery and return fall on the weekend pattern, else null. */
function weekendDays(delivered: IsoTime, returned: IsoTime, maxDays: number): number | null {
  const days = daysBetween(delivered, returned);
  const fits =
    DELIVERY_DAYS.includes(weekdayUtc(delivered)) && RETURN_DAYS.includes(weekdayUtc(returned)) && days >= 0 && days <= maxDays;
  return fits ? days : null;
}

function isPriorWardrobing(
  ret: ReturnRecord,
  orders: readonly OrderRecord[],
  fulfillments: readonly FulfillmentRecord[],
  params: Params,
): boolean {
  const order = orders.find((o) => o.id === ret.orderId);
  if (!order || wornUnits(ret, order, params.keywords).worn === 0) return false;
  const delivery = deliveredAt(order, fulfillments);
  return delivery.source === 'delivery' && weekendDays(delivery.at, ret.createdAt, params.maxDays) !== null;
}

/** Worn-type items delivered before a weekend and sent back right after it. */
export default defineSignal<Params>({
  meta: {
    id: 'pattern.weekend-wardrobing',
    version: '1.0.0',
    title: 'Weekend wardrobing',
    description:
      'Items people wear once (dresses, suits, handbags, jewelry…) were delivered on a Thursday or Friday and returned between Sunday and Tuesday: a sign they were worn for the weekend and sent back. Stronger when the customer did it before.',
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
          default: ['dress', 'gown', 'suit', 'blazer', 'jacket', 'heels', 'handbag', 'jewelry', 'jewellery', 'watch', 'costume'],
          description: 'Words in the product type or title that mark an item as worn-once (plurals match too).',
        },
        maxDays: {
          type: 'number',
          minimum: 1,
          maximum: 6,
          default: 6,
          description: 'Most days from delivery to the return request.',
        },
        priorForFull: {
          type: 'integer',
          minimum: 1,
          maximum: 20,
          default: 2,
          description: 'Earlier weekend wardrobing returns that give full strength.',
        },
      },
    },
    needs: ['subject', 'history.orders', 'history.fulfillments', 'history.returns'],
    messages: {
      wardrobing:
        '{{wornUnits}} worn-type item(s) delivered on a {{deliveredOn}} and returned on a {{returnedOn}}, {{daysHeld}} days later; {{priorTimes}} earlier time(s).',
      normal: 'No weekend wear-and-return pattern.',
      noDelivery: 'No carrier delivery time for this order: cannot tell when the items arrived.',
      unknownItems: 'The returned items have no title or product type to judge.',
    },
  },
  evaluate(ctx, params) {
    const subject = ctx.subject;
    if (subject.kind !== 'return') return { status: 'no_hit' };
    const { known, worn } = wornUnits(subject.return, subject.order, params.keywords);
    if (known === 0) return { status: 'insufficient_data', messageId: 'unknownItems' };
    if (worn === 0) return { status: 'no_hit', messageId: 'normal' };
    const delivery = deliveredAt(subject.order, ctx.history.fulfillments);
    if (delivery.source !== 'delivery') return { status: 'insufficient_data', messageId: 'noDelivery' };
    const days = weekendDays(delivery.at, subject.return.createdAt, params.maxDays);
    if (days === null) return { status: 'no_hit', messageId: 'normal' };
    const priorTimes = ctx.history.returns.filter((r) =>
      isPriorWardrobing(r, ctx.history.orders, ctx.history.fulfillments, params),
    ).length;
    const evidence = {
      wornUnits: worn,
      deliveredOn: WEEKDAYS[weekdayUtc(delivery.at)],
      returnedOn: WEEKDAYS[weekdayUtc(subject.return.createdAt)],
      daysHeld: round2(days),
      priorTimes,
    };
    return { status: 'hit', strength: ramp(priorTimes, 0, params.priorForFull, 0.5), messageId: 'wardrobing', evidence };
  },
});
