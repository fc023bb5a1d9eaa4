import escapeHtml from 'escape-html';
import type { FulfillmentRecord, OrderRecord, RefundRecord, ReturnRecord, ChargebackRecord } from '../../sdk/index.ts';
import type { Evidence } from './ChargebackService.ts';

/** One line of the order's story, in time order. */
export interface TimelineEntry {
  at: string;
  what: string;
  detail: string;
}

const money = (amount: number, currency: string) => `${amount.toFixed(2)} ${currency}`;
const actionStatus = (a: Evidence['actions'][number]) => {
  const reason = (a.result as { reason?: unknown } | null)?.reason;
  if (a.status === 'skipped') return `not taken${typeof reason === 'string' ? `: ${reason}` : ''}`;
  return a.status + (a.error ? ` (${a.error})` : '');
};
const when = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
const ACTION_WORDS: Record<string, string> = {
  'fulfillment.hold': 'Fulfilment hold',
  'customer.tag': 'Customer risk tag',
  'risk.assessment': 'Shopify risk assessment',
  'flow.trigger': 'Shopify Flow trigger',
  'review.queue': 'Manual review queue',
};

/** The order's story: order, scoring, actions, fulfilments, returns, refunds, disputes, labels. */
export function evidenceTimeline(evidence: Evidence): TimelineEntry[] {
  const order = evidence.order!.body as unknown as OrderRecord;
  const entries: TimelineEntry[] = [
    { at: evidence.order!.occurredAt, what: 'Order placed', detail: `${order.name ?? evidence.order!.id}: ${money(order.totalPrice, order.currency)} via ${order.gateways.join(', ') || 'unknown gateway'}` },
  ];
  for (const event of evidence.events) {
    if (event.kind === 'fulfillment') {
      const f = event.body as unknown as FulfillmentRecord;
      entries.push({ at: event.occurredAt, what: 'Fulfilled', detail: `${f.lineItems.reduce((n, l) => n + l.quantity, 0)} item(s)${f.status ? `, status ${f.status}` : ''}` });
      if (f.deliveredAt) entries.push({ at: f.deliveredAt, what: 'Delivered', detail: 'reported by the carrier' });
    } else if (event.kind === 'return') {
      const r = event.body as unknown as ReturnRecord;
      const reasons = [...new Set(r.lineItems.map((l) => l.reason).filter(Boolean))].join(', ');
      entries.push({ at: event.occurredAt, what: 'Return requested', detail: `${r.lineItems.reduce((n, l) => n + l.quantity, 0)} item(s) worth ${money(r.totalValue, order.currency)}${reasons ? `; reason ${reasons}` : ''}; status ${r.status}` });
    } else if (event.kind === 'refund') {
      const r = event.body as unknown as RefundRecord;
      entries.push({ at: event.occurredAt, what: 'Refunded', detail: `${money(r.amount, order.currency)} to ${r.method.replaceAll('_', ' ')}${r.manual ? ' (issued without a return)' : ''}` });
    } else if (event.kind === 'chargeback') {
      const c = event.body as unknown as ChargebackRecord;
      entries.push({ at: event.occurredAt, what: c.type === 'inquiry' ? 'Inquiry opened' : 'Chargeback opened', detail: `${c.amount.toFixed(2)}${c.reason ? `, reason ${c.reason.replaceAll('_', ' ')}` : ''}${c.status ? `, status ${c.status.replaceAll('_', ' ')}` : ''}` });
    }
  }
  for (const d of evidence.decisions) {
    entries.push({ at: d.decidedAt, what: `Scored (${d.subjectKind})`, detail: `${d.score} / 100, ${d.zone.toUpperCase()} risk, ruleset v${d.trace.ruleset.version}` });
  }
  // Actions that were taken (or tried); skipped ones (history backfill, no store connected) did not happen.
  for (const a of evidence.actions) {
    if (a.status !== 'skipped') entries.push({ at: a.updatedAt, what: ACTION_WORDS[a.type] ?? a.type, detail: a.status + (a.error ? ` (${a.error})` : '') });
  }
  for (const o of evidence.outcomes) entries.push({ at: o.at, what: 'Labelled', detail: `${o.label} (${o.source})` });
  return entries.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The order was both refunded (or returned) and disputed: which came first, and how much each was. */
function doubleDipSentence(order: OrderRecord, refunds: RefundRecord[], returns: ReturnRecord[], disputes: ChargebackRecord[]): string {
  const disputed = `disputed for ${disputes.map((d) => d.amount.toFixed(2)).join(' + ')}`;
  const refunded = refunds.length ? `refunded ${money(refunds.reduce((s, r) => s + r.amount, 0), order.currency)}` : `returned (${returns.length} return${returns.length === 1 ? '' : 's'})`;
  const firstDispute = Math.min(...disputes.map((d) => Date.parse(d.initiatedAt)));
  const firstPayback = Math.min(...[...refunds.map((r) => r.createdAt), ...returns.map((r) => r.createdAt)].map((t) => Date.parse(t)));
  return firstPayback <= firstDispute ? `this order was ${refunded}, then ${disputed}.` : `this order was ${disputed}, then ${refunded} as well.`;
}

/**
 * A printable HTML report of one order for a dispute response: what was ordered and paid, how
 * RefundSentry scored it and why, what was done (holds, tags), fulfilment, returns and refunds
 * (a refunded order that is then disputed is a double dip), the dispute, and the timeline.
 * Self-contained (inline CSS, no scripts), print-friendly; only hashed identifiers, no PII.
 */
export function renderEvidenceReport(evidence: Evidence): string {
  const e = escapeHtml;
  const order = evidence.order!.body as unknown as OrderRecord;
  const refunds = evidence.events.filter((x) => x.kind === 'refund').map((x) => x.body as unknown as RefundRecord);
  const returns = evidence.events.filter((x) => x.kind === 'return').map((x) => x.body as unknown as ReturnRecord);
  const disputes = evidence.events.filter((x) => x.kind === 'chargeback').map((x) => x.body as unknown as ChargebackRecord);
  const orderDecision = evidence.decisions.find((d) => d.subjectKind === 'order');
  const holds = evidence.actions.filter((a) => a.type === 'fulfillment.hold');
  const table = (headings: string[], rows: (string | number)[][]) =>
    rows.length === 0
      ? '<p class="none">None.</p>'
      : `<table><thead><tr>${headings.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${e(String(c))}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  const address = order.shippingAddress;
  const fired = orderDecision ? orderDecision.trace.signals.filter((s) => s.status === 'hit' && s.points !== 0).sort((a, b) => b.points - a.points) : [];
  const doubleDip = disputes.length > 0 && (refunds.length > 0 || returns.length > 0);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Dispute evidence: order ${e(order.name ?? order.id)}</title>
<style>
  body { font: 13px/1.45 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #202223; margin: 32px auto; max-width: 860px; padding: 0 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 24px 0 8px; border-bottom: 1px solid #d2d5d8; padding-bottom: 4px; }
  .meta, .none { color: #6d7175; } table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e1e3e5; vertical-align: top; }
  th { background: #f6f6f7; font-weight: 600; } .flag { background: #fff4f4; border: 1px solid #e0b3b2; padding: 8px 12px; border-radius: 6px; }
  dl { display: grid; grid-template-columns: 200px 1fr; gap: 4px 12px; margin: 0; } dt { color: #6d7175; } dd { margin: 0; }
  @media print { body { margin: 0; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style></head><body>
<h1>Dispute evidence: order ${e(order.name ?? order.id)}</h1>
<p class="meta">${e(evidence.shopId)} · ${e(order.id)} · generated ${e(when(evidence.generatedAt))} by RefundSentry · identifiers appear only as keyed hashes</p>
${doubleDip ? `<p class="flag" id="double-dip"><strong>Double dip:</strong> ${e(doubleDipSentence(order, refunds, returns, disputes))}</p>` : ''}
<h2>Order</h2>
<dl>
  <dt>Placed</dt><dd>${e(when(order.createdAt))}</dd>
  <dt>Total</dt><dd>${e(money(order.totalPrice, order.currency))} (discounts ${e(money(order.totalDiscounts, order.currency))}${order.discountCodes.length ? `, codes ${e(order.discountCodes.join(', '))}` : ''})</dd>
  <dt>Payment</dt><dd>${e(order.gateways.join(', ') || 'unknown')}${order.financialStatus ? `, ${e(order.financialStatus)}` : ''}</dd>
  <dt>Customer</dt><dd>${e(order.customerId ?? 'guest checkout')}</dd>
  <dt>Ships to</dt><dd>${e([address?.countryCode, address?.provinceCode, address?.postcodePrefix ? `${address.postcodePrefix}…` : undefined].filter(Boolean).join(' ') || 'no shipping address')}${order.billingAddress?.hash && address?.hash ? (order.billingAddress.hash === address.hash ? ' (same as billing address)' : ' (differs from billing address)') : ''}</dd>
  <dt>Shipping</dt><dd>${e(order.shippingLines.map((s) => `${s.title ?? s.code ?? 'shipping'} ${money(s.price, order.currency)}`).join(', ') || 'none')}</dd>
</dl>
${table(['Item', 'SKU', 'Qty', 'Unit price'], order.lineItems.map((l) => [`${l.title ?? 'item'}${l.variantTitle ? ` (${l.variantTitle})` : ''}`, l.sku ?? '', l.quantity, money(l.price, order.currency)]))}
<h2>Risk assessment when the order was placed</h2>
${orderDecision ? `<p><strong>${orderDecision.score} / 100, ${e(orderDecision.zone.toUpperCase())} risk</strong> (ruleset ${e(orderDecision.trace.ruleset.id)} v${orderDecision.trace.ruleset.version}, decided ${e(when(orderDecision.decidedAt))}).</p>
${evidence.chargebackRisk ? `<p id="fraud-risk">Fraud risk (calibrated on the outcomes of ruleset v${evidence.chargebackRisk.version}): ${e(evidence.chargebackRisk.explanation)}</p>` : ''}
${fired.length ? table(['Signal', 'Points', 'Why'], fired.map((s) => [s.id, s.points, s.message])) : '<p class="none">No risk signal fired on the order.</p>'}` : '<p class="none">The order was not scored.</p>'}
<h2>Actions taken</h2>
${table(['Action', 'Status', 'When'], evidence.actions.map((a) => [ACTION_WORDS[a.type] ?? a.type, actionStatus(a), when(a.updatedAt)]))}
${holds.length ? `<p>Fulfilment ${holds.some((h) => h.status === 'released') ? 'was held, then released' : holds.some((h) => h.status === 'done') ? 'was held' : 'hold was not applied'}.</p>` : ''}
<h2>Returns and refunds</h2>
${table(['Kind', 'When', 'Amount', 'Detail'], [
    ...returns.map((r) => ['Return', when(r.createdAt), money(r.totalValue, order.currency), `${r.status}; ${[...new Set(r.lineItems.map((l) => l.reason).filter(Boolean))].join(', ') || 'no reason given'}`]),
    ...refunds.map((r) => ['Refund', when(r.createdAt), money(r.amount, order.currency), `to ${r.method.replaceAll('_', ' ')}${r.manual ? ', without a return' : ''}`]),
  ])}
<h2>Dispute</h2>
${table(['Opened', 'Type', 'Amount', 'Reason', 'Status'], disputes.map((d) => [when(d.initiatedAt), d.type ?? 'chargeback', d.amount.toFixed(2), (d.reason ?? '').replaceAll('_', ' '), (d.status ?? '').replaceAll('_', ' ')]))}
<h2>Score history</h2>
${table(['When', 'Subject', 'Score', 'Zone'], evidence.decisions.map((d) => [when(d.decidedAt), `${d.subjectKind} ${d.subjectId}`, d.score, d.zone.toUpperCase()]))}
<h2>Timeline</h2>
${table(['When', 'What', 'Detail'], evidenceTimeline(evidence).map((t) => [when(t.at), t.what, t.detail]))}
</body></html>
`;
}
