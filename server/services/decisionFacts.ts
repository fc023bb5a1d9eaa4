import type { OrderFacts, RefundFacts, ReturnFacts, SignalName, SubjectFacts } from '../../contract/index.ts';
import type { Ruleset, SignalRegistry, SignalTrace } from '../../engine/index.ts';
import type { OrderRecord, RefundRecord, ReturnRecord } from '../../sdk/index.ts';
import type { DecisionRow, Stores } from '../store/index.ts';

/**
 * What a decision is about, for the decision page: the order (the subject, or the order of the
 * return or refund) with its name, items and amounts in the shop's currency, the return with its
 * items and reasons, the refund with its method and lines — read from the records the app stored
 * from Shopify's bodies (`events`, through the store). A record not stored is null.
 */
export async function subjectFacts(stores: Stores, shopId: string, row: Pick<DecisionRow, 'subject_kind' | 'subject_id' | 'order_id'>): Promise<SubjectFacts> {
  const orderId = row.subject_kind === 'order' ? row.subject_id : row.order_id;
  const [order, refund] = await Promise.all([
    orderId ? stores.events.get<OrderRecord>(shopId, 'order', orderId) : undefined,
    row.subject_kind === 'refund' ? stores.events.get<RefundRecord>(shopId, 'refund', row.subject_id) : undefined,
  ]);
  const returnId = row.subject_kind === 'return' ? row.subject_id : (refund?.returnId ?? null);
  const ret = returnId ? await stores.events.get<ReturnRecord>(shopId, 'return', returnId) : undefined;
  const lines = new Map((order?.lineItems ?? []).map((l) => [l.id, l]));
  const titleOf = (lineItemId: string) => lines.get(lineItemId)?.title ?? 'An item of the order';
  return {
    order: order ? orderFacts(order) : null,
    return: ret
      ? ({
          id: ret.id,
          status: ret.status,
          requestedAt: ret.createdAt,
          closedAt: ret.closedAt ?? null,
          value: ret.totalValue,
          items: ret.lineItems.map((l) => ({
            title: titleOf(l.lineItemId),
            variant: lines.get(l.lineItemId)?.variantTitle ?? null,
            quantity: l.quantity,
            unitPrice: l.unitPrice ?? null,
            reason: l.reason ?? null,
            note: l.reasonNote ?? null,
          })),
          exchangeItems: ret.exchangeLineItemCount,
        } satisfies ReturnFacts)
      : null,
    refund: refund
      ? ({
          id: refund.id,
          issuedAt: refund.createdAt,
          amount: refund.amount,
          method: refund.method,
          manual: refund.manual === true,
          items: refund.lineItems.map((l) => ({ title: titleOf(l.lineItemId), quantity: l.quantity, amount: l.subtotal })),
        } satisfies RefundFacts)
      : null,
  };
}

function orderFacts(order: OrderRecord): OrderFacts {
  return {
    id: order.id,
    name: order.name ?? null,
    currency: order.currency,
    placedAt: order.createdAt,
    total: order.totalPrice,
    subtotal: order.subtotalPrice,
    discounts: order.totalDiscounts,
    shipping: order.totalShipping ?? null,
    discountCodes: order.discountCodes ?? [],
    gateways: order.gateways ?? [],
    financialStatus: order.financialStatus ?? null,
    cancelled: !!order.cancelledAt,
    items: (order.lineItems ?? []).map((l) => ({
      title: l.title ?? 'Untitled item',
      variant: l.variantTitle ?? null,
      sku: l.sku ?? null,
      quantity: l.quantity,
      price: l.price,
      discount: l.totalDiscount,
    })),
  };
}

/** `custom.big-order` → "Big order": a custom signal without a title, in words. */
function idInWords(id: string): string {
  const words = (id.split('.').pop() ?? id).replace(/-/g, ' ');
  return words[0]!.toUpperCase() + words.slice(1);
}

/**
 * The title and description of each signal of a trace: a registered signal's from its meta (the
 * catalog `GET /api/signals` lists), a custom signal's from the ruleset version that decided (its
 * `title`/`description`, else its id in words).
 */
export function signalNames(registry: SignalRegistry, ruleset: Pick<Ruleset, 'customSignals'> | undefined, signals: readonly Pick<SignalTrace, 'id' | 'source'>[]): Record<string, SignalName> {
  const custom = new Map((ruleset?.customSignals ?? []).map((c) => [c.id, c]));
  const names: Record<string, SignalName> = {};
  for (const { id, source } of signals) {
    const meta = source === 'custom' ? undefined : registry.get(id)?.meta;
    if (meta) {
      names[id] = { title: meta.title, description: meta.description, category: meta.category };
      continue;
    }
    const own = custom.get(id);
    names[id] = { title: own?.title ?? idInWords(id), description: own?.description ?? null, category: source === 'custom' ? 'custom' : (id.split('.')[0] ?? 'other') };
  }
  return names;
}
