import type { IsoTime, OrderRecord, ReturnLineItem, ReturnRecord } from '../../../sdk/index.ts';
import { round2 } from './money.ts';
import { returnPayload, type ReturnLineItemPayload, type ReturnPayload } from './returnPayload.ts';
import { scrubNote } from './scrubNote.ts';
import { gidOf, shopifyGid } from './shopifyGid.ts';

/**
 * Shopify's samples list no return line item (`return_line_items: []`, FACTS §1). The shape
 * read here is second-hand (a third-party copy of a live returns/request body):
 * `{fulfillment_line_item: {line_item: {admin_graphql_api_id}}, quantity, return_reason,
 * return_reason_note, customer_note}`; `line_item` and `line_item_id` are accepted as well.
 */
function lineItemId(item: ReturnLineItemPayload): string | undefined {
  const ref = item.fulfillment_line_item?.line_item ?? item.line_item;
  if (ref) return gidOf('LineItem', ref);
  return item.line_item_id === null || item.line_item_id === undefined ? undefined : shopifyGid('LineItem', item.line_item_id);
}

function reasonNote(item: ReturnLineItemPayload): string | undefined {
  const notes = [scrubNote(item.return_reason_note), scrubNote(item.customer_note)].filter((n): n is string => !!n);
  return notes.length > 0 ? [...new Set(notes)].join('\n') : undefined;
}

function normalizeLine(item: ReturnLineItemPayload): ReturnLineItem | undefined {
  const id = lineItemId(item);
  if (!id) return undefined;
  const reason = (item.reason ?? item.return_reason)?.trim().toUpperCase();
  const note = reasonNote(item);
  return { lineItemId: id, quantity: item.quantity, ...(reason ? { reason } : {}), ...(note ? { reasonNote: note } : {}) };
}

/**
 * Fills what only the order knows (SKU, product, variant, unit price paid) into a return's
 * lines, and its total value. Pure: returns a new record.
 */
export function withOrderLines(ret: ReturnRecord, order: Pick<OrderRecord, 'lineItems' | 'customerId'>): ReturnRecord {
  const lines = new Map(order.lineItems.map((line) => [line.id, line]));
  const lineItems = ret.lineItems.map((item): ReturnLineItem => {
    const line = lines.get(item.lineItemId);
    if (!line) return item;
    const unitPrice = round2(line.price - (line.quantity > 0 ? line.totalDiscount / line.quantity : 0));
    return {
      ...item,
      ...(line.sku ? { sku: line.sku } : {}),
      ...(line.productId ? { productId: line.productId } : {}),
      ...(line.variantId ? { variantId: line.variantId } : {}),
      unitPrice,
    };
  });
  return {
    ...ret,
    customerId: ret.customerId ?? order.customerId ?? null,
    lineItems,
    totalValue: round2(lineItems.reduce((sum, item) => sum + (item.unitPrice ?? 0) * item.quantity, 0)),
  };
}

/**
 * True when the body lists every returned line, each naming its order line (the request
 * sample counts 2 but lists none).
 */
export function returnLinesComplete(body: ReturnPayload): boolean {
  const listed = body.return_line_items;
  if (!listed || !listed.every((item) => lineItemId(item) !== undefined)) return false;
  return typeof body.total_return_line_items === 'number' ? listed.length >= body.total_return_line_items : listed.length > 0;
}

/**
 * A returns/* body as our ReturnRecord. returns/request and approve nest the order, close,
 * cancel and reopen send only `order_id` and the status (FACTS §1); those give a record with
 * no lines, to be merged into the stored one (see `returnLinesComplete`). Return bodies carry
 * no timestamp, so `receivedAt` (the X-Shopify-Triggered-At header) dates the record when the
 * body has no `created_at`. With `order`, lines get SKU, product and unit price paid.
 */
export function normalizeReturn(body: unknown, order?: OrderRecord, receivedAt?: IsoTime): ReturnRecord {
  const p = returnPayload(body);
  const createdAt = p.created_at ?? receivedAt;
  if (!createdAt) throw new Error('returns/* bodies carry no timestamp: pass receivedAt (the X-Shopify-Triggered-At header)');
  const status = p.status.toLowerCase();
  const orderId = p.order ? gidOf('Order', p.order)! : shopifyGid('Order', p.order_id!);
  const ret: ReturnRecord = {
    id: p.admin_graphql_api_id,
    orderId,
    customerId: p.customer ? (gidOf('Customer', p.customer) ?? null) : null,
    status,
    createdAt,
    closedAt: p.closed_at ?? (status === 'closed' ? (receivedAt ?? null) : null),
    lineItems: (p.return_line_items ?? []).map(normalizeLine).filter((item): item is ReturnLineItem => item !== undefined),
    exchangeLineItemCount: p.total_exchange_line_items ?? p.exchange_line_items?.length ?? 0,
    totalValue: 0,
  };
  return order && order.id === orderId ? withOrderLines(ret, order) : ret;
}
