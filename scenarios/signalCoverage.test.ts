import { describe, expect, it } from 'vitest';
import { defineSignal } from '../sdk/index.ts';
import { builtinSignals } from '../signals/index.ts';
import type { HistoryEvent } from '../engine/history/index.ts';
import { generateShop } from './generateShop.ts';
import { filledFields, sampleWebhookHistory, signalCoverage, throughBulkQueries } from './signalCoverage.ts';

/** A signal reading a field Shopify fills (the total) and, when asked, one nothing fills. */
const probe = (id: string, readsUnfilled: boolean) =>
  defineSignal({
    meta: {
      id,
      version: '1.0.0',
      title: 'Probe',
      description: 'Reads fields, for the coverage test.',
      category: 'order',
      appliesTo: ['order'],
      defaultWeight: 1,
      params: { type: 'object', properties: {} },
      needs: ['subject'],
      messages: { seen: 'seen' },
    },
    evaluate(ctx) {
      const order = ctx.subject.order as unknown as Record<string, unknown>;
      if (order.totalPrice === undefined) return { status: 'insufficient_data', messageId: 'seen' };
      if (readsUnfilled && order.fieldNoPayloadHas === undefined) return { status: 'insufficient_data', messageId: 'seen' };
      return { status: 'no_hit', messageId: 'seen' };
    },
  });

describe('signal coverage on real payloads', () => {
  const samples = sampleWebhookHistory();

  it("fills the record fields Shopify's sample bodies carry, and only those", () => {
    const filled = filledFields([samples]);
    expect(filled).toContain('OrderRecord.totalPrice');
    expect(filled).toContain('OrderRecord.lineItems[].sku');
    expect(filled).toContain('ReturnRecord.lineItems[].reason');
    expect(filled).toContain('OrderRecord.identity.ip'); // the variant filling browser_ip
    expect(filled).not.toContain('OrderRecord.lineItems[].compareAtPrice'); // no order body carries it
  });

  it('names the fields a signal reads and flags those no real payload fills', () => {
    const generated = generateShop({ seed: 3, customers: 20 }).events;
    const [blind, sighted] = signalCoverage([probe('test.reads-unfilled', true), probe('test.reads-filled', false)], [samples], [generated]);
    expect(blind!.blind).toEqual(['OrderRecord.fieldNoPayloadHas']);
    expect(blind!.reads).toContainEqual({ field: 'OrderRecord.totalPrice', filled: true });
    expect(sighted!.blind).toEqual([]);
    expect(sighted!.onReal.no_hit).toBeGreaterThan(0);
  });

  it("carries what the app's bulk queries fetch through Shopify's JSONL and the bulk normalizers, and drops what they do not", async () => {
    const generated = generateShop({ seed: 3, customers: 20 }).events;
    const fetched = await throughBulkQueries(generated);
    const orders = (events: typeof generated) => events.filter((e) => e.type === 'order').length;
    expect(orders(fetched)).toBe(orders(generated));
    const filled = filledFields([fetched]);
    expect(filled).toContain('ReturnRecord.lineItems[].reason');
    expect(filled).toContain('RefundRecord.method');
  });

  it('no built-in signal reads a field that no Shopify payload or Admin API answer the app asks for fills (npm run coverage:signals)', async () => {
    const shop = generateShop({ seed: 20, customers: 60 });
    const products = shop.products.flatMap((answer) => answer.data.nodes).map((node) => ({ ...node, variants: node.variants.nodes }));
    const order = shop.stored.find((e) => e.type === 'order')!;
    const orderId = order.type === 'order' ? order.order.id : '';
    // Shopify's assessment of one order, with the facts only its GraphQL answer carries.
    const assessed = { type: 'risk', risk: { id: `${orderId}#shopify`, orderId, level: 'medium', assessedAt: (order as { order: { createdAt: string } }).order.createdAt, facts: { negative: 1, neutral: 0, positive: 2 } } } as unknown as HistoryEvent;
    const rows = signalCoverage(builtinSignals, [samples, await throughBulkQueries([...shop.stored, assessed], products)], [shop.events]);
    expect(rows.filter((r) => r.blind.length > 0).map((r) => `${r.id}: ${r.blind.join(', ')}`)).toEqual([]);
  }, 120_000);

  it('runs every built-in signal on the real histories', async () => {
    const generated = generateShop({ seed: 5, customers: 40 }).events;
    const rows = signalCoverage(builtinSignals, [samples, await throughBulkQueries(generated)], [generated]);
    expect(rows.map((r) => r.id)).toEqual(builtinSignals.map((s) => s.meta.id));
    // Each ran on real contexts of its kinds (reading record fields, or only the app's derived facts).
    for (const row of rows) expect(Object.values(row.onReal).reduce((a, b) => a + b, 0), row.id).toBeGreaterThan(0);
    expect(rows.filter((r) => r.reads.length > 0).length).toBeGreaterThan(50);
  });
});
