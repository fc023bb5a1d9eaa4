import type { OrderRecord, RefundMethod, RefundRecord } from '../../../sdk/index.ts';
import { round2, shopMoney } from './money.ts';
import { refundPayload, type RefundPayload, type RefundTransactionPayload } from './refundPayload.ts';
import { gidOf, shopifyGid } from './shopifyGid.ts';

/** The refund method a payment gateway name stands for. */
export function refundMethodOfGateway(gateway: string | null | undefined): RefundMethod {
  switch (gateway?.trim().toLowerCase()) {
    case 'gift_card':
      return 'gift_card';
    case 'store_credit':
    case 'shopify_store_credit':
      return 'store_credit';
    case 'cash':
      return 'cash';
    default:
      return 'original_payment';
  }
}

/**
 * Refund transactions have no `*_set` in the sample, and `currency` is null there (FACTS §1);
 * `amount` is read as shop currency unless a bag is present.
 */
function transactionAmount(tx: RefundTransactionPayload): number {
  return shopMoney(tx.amount_set, tx.amount);
}

/**
 * No money went back although items came back through a return: the items were exchanged.
 * An inference; Shopify's samples show no exchange refund.
 */
function isExchange(p: RefundPayload): boolean {
  if (!p.return) return false;
  return (p.return.exchange_line_items?.length ?? 0) > 0 || (p.transactions !== undefined && p.refund_line_items.length > 0);
}

/**
 * A refunds/create body as our RefundRecord. The amount is what successful refund
 * transactions paid back; a body without refund transactions falls back to its line
 * subtotals, unless it is an exchange (0).
 * Without a return the refund was issued by staff (`manual`). With `order`, the customer id
 * is taken from it.
 */
export function normalizeRefund(body: unknown, order?: OrderRecord): RefundRecord {
  const p = refundPayload(body);
  const orderId = shopifyGid('Order', p.order_id);
  const refunds = p.transactions?.filter((tx) => tx.kind === 'refund') ?? [];
  const paid = refunds.filter((tx) => tx.status === 'success');
  const lineItems = p.refund_line_items.map((item) => ({
    lineItemId: item.line_item?.admin_graphql_api_id ?? shopifyGid('LineItem', item.line_item_id),
    quantity: item.quantity,
    subtotal: shopMoney(item.subtotal_set, item.subtotal),
  }));
  const exchange = refunds.length === 0 && isExchange(p);
  // The method of the largest refund transaction, paid ones first.
  const main = [...(paid.length > 0 ? paid : refunds)].sort((a, b) => transactionAmount(b) - transactionAmount(a))[0];
  const method: RefundMethod = exchange ? 'exchange' : refundMethodOfGateway(main?.gateway);
  const amount = exchange ? 0
    : refunds.length > 0 ? paid.reduce((sum, tx) => sum + transactionAmount(tx), 0)
    : lineItems.reduce((sum, item) => sum + item.subtotal, 0);
  // A refund split across methods keeps each method's part (the report splits its money).
  const byMethod: Partial<Record<RefundMethod, number>> = {};
  if (!exchange) for (const tx of paid) byMethod[refundMethodOfGateway(tx.gateway)] = round2((byMethod[refundMethodOfGateway(tx.gateway)] ?? 0) + transactionAmount(tx));
  const split = Object.keys(byMethod).length > 1;
  const restock = p.restock === true || p.refund_line_items.some((item) => !!item.restock_type && item.restock_type !== 'no_restock');
  return {
    id: p.admin_graphql_api_id,
    orderId,
    returnId: p.return ? (gidOf('Return', p.return) ?? null) : null,
    customerId: order && order.id === orderId ? (order.customerId ?? null) : null,
    createdAt: p.created_at,
    amount: round2(amount),
    method,
    ...(split ? { methodAmounts: byMethod } : {}),
    lineItems,
    restock,
    manual: !p.return,
  };
}
