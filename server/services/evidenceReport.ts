import escapeHtml from 'escape-html';
import type { FulfillmentRecord, OrderRecord, RefundRecord, ReturnRecord, ChargebackRecord } from '../../sdk/index.ts';
import type { Evidence } from './ChargebackService.ts';

/** One line of the order's story, in time order. */
export interface TimelineEntry {
  at: string;
  what: string;
  detail: string;
}

/**
 * An amount as a bank reads it: the currency's own symbol in US English ("$404.95", "€404.95",
 * "CA$404.95": a dollar other than the US one keeps its prefix), or the number and the code for a
 * code Intl does not know.
 */
export function moneyOf(amount: number, currency: string): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}

const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
const day = (iso: string) => iso.slice(0, 10);
/** Shopify's enum and status values in words ("SIZE_TOO_SMALL" → "size too small", "shopify_payments" → "shopify payments"). */
const words = (value: string) => value.replaceAll('_', ' ').toLowerCase();
const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** The number at the end of a Shopify GID ("gid://shopify/Order/12" → "12"). */
const numberOf = (gid: string) => /\/(\d+)$/.exec(gid)?.[1] ?? gid;
/** A bank reads no raw GID: any that reached a text (a note, a status) is put as "order 12". */
const noGids = (text: string) => text.replace(/gid:\/\/shopify\/(\w+)\/(\d+)/g, (_, type: string, id: string) => `${type.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()} ${id}`);
/** The order as the merchant and the buyer know it: its name ("#1001"), else its number. */
const orderLabel = (order: OrderRecord) => order.name ?? `order ${numberOf(order.id)}`;
const itemsOf = (lines: readonly { quantity: number }[]) => count(lines.reduce((n, l) => n + l.quantity, 0), 'item');

/**
 * The order's story for the bank: placed, fulfilled, delivered, returned, refunded, disputed. What
 * RefundSentry scored and did is internal and left out.
 */
export function evidenceTimeline(evidence: Evidence): TimelineEntry[] {
  const order = evidence.order!.body as unknown as OrderRecord;
  const entries: TimelineEntry[] = [
    { at: evidence.order!.occurredAt, what: 'Order placed', detail: `${orderLabel(order)}: ${moneyOf(order.totalPrice, order.currency)} paid by ${order.gateways.map(words).join(', ') || 'an unknown method'}` },
  ];
  for (const event of evidence.events) {
    if (event.kind === 'fulfillment') {
      const f = event.body as unknown as FulfillmentRecord;
      entries.push({ at: event.occurredAt, what: 'Fulfilled', detail: `${itemsOf(f.lineItems)} shipped${f.status ? `, status ${words(f.status)}` : ''}` });
      if (f.deliveredAt) entries.push({ at: f.deliveredAt, what: 'Delivered', detail: 'reported by the carrier' });
    } else if (event.kind === 'return') {
      const r = event.body as unknown as ReturnRecord;
      const reasons = [...new Set(r.lineItems.map((l) => l.reason).filter((x): x is string => Boolean(x)))].map(words).join(', ');
      entries.push({ at: event.occurredAt, what: 'Return requested', detail: `${itemsOf(r.lineItems)} worth ${moneyOf(r.totalValue, order.currency)}${reasons ? `; reason: ${reasons}` : ''}; status ${words(r.status)}` });
    } else if (event.kind === 'refund') {
      const r = event.body as unknown as RefundRecord;
      entries.push({ at: event.occurredAt, what: 'Refunded', detail: `${moneyOf(r.amount, order.currency)} to ${words(r.method)}${r.manual ? ' (issued without a return)' : ''}` });
    } else if (event.kind === 'chargeback') {
      const c = event.body as unknown as ChargebackRecord & { currency?: string };
      entries.push({ at: event.occurredAt, what: c.type === 'inquiry' ? 'Inquiry opened' : 'Chargeback opened', detail: `${moneyOf(c.amount, c.currency ?? order.currency)}${c.reason ? `, reason: ${words(c.reason)}` : ''}${c.status ? `, status ${words(c.status)}` : ''}` });
    }
  }
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The order was both refunded (or returned) and disputed: which came first, and how much each was. */
function doubleDipSentence(order: OrderRecord, refunds: RefundRecord[], returns: ReturnRecord[], disputes: ChargebackRecord[]): string {
  const disputed = `disputed for ${disputes.map((d) => moneyOf(d.amount, (d as { currency?: string }).currency ?? order.currency)).join(' + ')}`;
  const refunded = refunds.length ? `refunded ${moneyOf(refunds.reduce((s, r) => s + r.amount, 0), order.currency)}` : `returned (${count(returns.length, 'return')})`;
  const firstDispute = Math.min(...disputes.map((d) => Date.parse(d.initiatedAt)));
  const firstPayback = Math.min(...[...refunds.map((r) => r.createdAt), ...returns.map((r) => r.createdAt)].map((t) => Date.parse(t)));
  return firstPayback <= firstDispute ? `this order was ${refunded}, then ${disputed}.` : `this order was ${disputed}, then ${refunded} as well.`;
}

/** The customer's earlier orders in a sentence, or that it was a guest checkout or their first order. */
function customerSentence(history: Evidence['customerHistory']): string {
  if (!history) return 'Guest checkout (no customer account).';
  if (history.orders === 0) return 'A customer account with no earlier order at this shop: this was their first.';
  const parts = [`${count(history.orders, 'earlier order')} since ${day(history.firstOrderAt!)}`, `${history.fulfilled} fulfilled`, `${history.delivered} confirmed delivered by the carrier`, `${history.refunded} refunded`, `${history.disputed} disputed`];
  return `A returning customer: ${parts.join(', ')}.`;
}

/**
 * A printable HTML report of one order for a dispute response, written for the bank: what was
 * ordered and paid, the customer's history with the shop, fulfilment and delivery, returns and
 * refunds (a refunded order that is then disputed is a double dip), the dispute, and the timeline.
 * It leaves out RefundSentry's own workings (scores, zones, signals, points, weights, rulesets,
 * actions, labels) and every raw Shopify GID. Self-contained (inline CSS, no scripts),
 * print-friendly; no PII (the store keeps none).
 */
export function renderEvidenceReport(evidence: Evidence): string {
  const e = (text: string | number) => escapeHtml(noGids(String(text)));
  const order = evidence.order!.body as unknown as OrderRecord;
  const refunds = evidence.events.filter((x) => x.kind === 'refund').map((x) => x.body as unknown as RefundRecord);
  const returns = evidence.events.filter((x) => x.kind === 'return').map((x) => x.body as unknown as ReturnRecord);
  const fulfilments = evidence.events.filter((x) => x.kind === 'fulfillment').map((x) => x.body as unknown as FulfillmentRecord);
  const disputes = evidence.events.filter((x) => x.kind === 'chargeback').map((x) => x.body as unknown as ChargebackRecord & { currency?: string });
  const table = (headings: string[], rows: (string | number)[][]) =>
    rows.length === 0
      ? '<p class="none">None.</p>'
      : `<table><thead><tr>${headings.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const address = order.shippingAddress;
  const doubleDip = disputes.length > 0 && (refunds.length > 0 || returns.length > 0);
  const title = orderLabel(order);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dispute evidence: order ${e(title)}</title>
<style>
  body { font: 13px/1.45 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #202223; margin: 32px auto; max-width: 860px; padding: 0 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 24px 0 8px; border-bottom: 1px solid #d2d5d8; padding-bottom: 4px; }
  .meta, .none { color: #6d7175; } table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e1e3e5; vertical-align: top; }
  th { background: #f6f6f7; font-weight: 600; } .flag { background: #fff4f4; border: 1px solid #e0b3b2; padding: 8px 12px; border-radius: 6px; }
  dl { display: grid; grid-template-columns: 200px 1fr; gap: 4px 12px; margin: 0; } dt { color: #6d7175; } dd { margin: 0; }
  @media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style></head><body>
<h1>Dispute evidence: order ${e(title)}</h1>
<p class="meta">${e(evidence.shopId)} · prepared ${e(when(evidence.generatedAt))} from the shop's Shopify records</p>
${doubleDip ? `<p class="flag" id="double-dip"><strong>Double dip:</strong> ${e(doubleDipSentence(order, refunds, returns, disputes))}</p>` : ''}
<h2>Order</h2>
<dl>
  <dt>Placed</dt><dd>${e(when(order.createdAt))}</dd>
  <dt>Total</dt><dd>${e(moneyOf(order.totalPrice, order.currency))} (discounts ${e(moneyOf(order.totalDiscounts, order.currency))}${order.discountCodes.length ? `, codes ${e(order.discountCodes.join(', '))}` : ''})</dd>
  <dt>Payment</dt><dd>${e(order.gateways.map(words).join(', ') || 'unknown')}${order.financialStatus ? `, ${e(words(order.financialStatus))}` : ''}</dd>
  <dt>Ships to</dt><dd>${e([address?.countryCode, address?.provinceCode, address?.postcodePrefix ? `${address.postcodePrefix}…` : undefined].filter(Boolean).join(' ') || 'no shipping address')}${order.billingAddress?.hash && address?.hash ? (order.billingAddress.hash === address.hash ? ' (same as the billing address)' : ' (differs from the billing address)') : ''}</dd>
  <dt>Shipping</dt><dd>${e(order.shippingLines.map((s) => `${s.title ?? s.code ?? 'shipping'} ${moneyOf(s.price, order.currency)}`).join(', ') || 'none')}</dd>
</dl>
${table(['Item', 'SKU', 'Qty', 'Unit price'], order.lineItems.map((l) => [`${l.title ?? 'item'}${l.variantTitle ? ` (${l.variantTitle})` : ''}`, l.sku ?? '', l.quantity, moneyOf(l.price, order.currency)]))}
<h2>Customer history</h2>
<p id="customer-history">${e(customerSentence(evidence.customerHistory))}</p>
<h2>Fulfilment and delivery</h2>
${table(['Fulfilled', 'Items', 'Status', 'Delivered'], fulfilments.map((f) => [when(f.createdAt), itemsOf(f.lineItems), f.status ? words(f.status) : '', f.deliveredAt ? when(f.deliveredAt) : 'not reported']))}
<h2>Returns and refunds</h2>
${table(['Kind', 'When', 'Amount', 'Detail'], [
    ...returns.map((r) => ['Return', when(r.createdAt), moneyOf(r.totalValue, order.currency), `${words(r.status)}; ${[...new Set(r.lineItems.map((l) => l.reason).filter((x): x is string => Boolean(x)))].map(words).join(', ') || 'no reason given'}`]),
    ...refunds.map((r) => ['Refund', when(r.createdAt), moneyOf(r.amount, order.currency), `to ${words(r.method)}${r.manual ? ', without a return' : ''}`]),
  ])}
<h2>Dispute</h2>
${table(['Opened', 'Type', 'Amount', 'Reason', 'Status'], disputes.map((d) => [when(d.initiatedAt), d.type ?? 'chargeback', moneyOf(d.amount, d.currency ?? order.currency), words(d.reason ?? ''), words(d.status ?? '')]))}
<h2>Timeline</h2>
${table(['When', 'What', 'Detail'], evidenceTimeline(evidence).map((t) => [when(t.at), t.what, t.detail]))}
</body></html>
`;
}
