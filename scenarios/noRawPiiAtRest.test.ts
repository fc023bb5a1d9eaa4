import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productFactsOf } from '../server/services/ProductCatalog.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../server/testing/testApp.ts';
import { ensureDemoHistory, ensureDemoProducts, readProductFacts } from './demoShop.ts';
import { generateShop, type Delivery, type GenerateOptions } from './generateShop.ts';

/**
 * No raw PII at rest, end to end: a generated shop's Shopify webhook bodies sent signed to the
 * app (shop A: every orders/create, order_transactions/create, fulfilment, return, refund and
 * dispute, in time order, each scored as live), and another generated shop backfilled the way
 * the demo shop is (shop B: its history file and product answers written by `demoShop.ts` with
 * the shop's key, stored in product_facts, backfilled through the file source and scored). Then
 * every row of every table of every schema (pg-boss's included) is dumped as text (`row::text`;
 * the embedded PostgreSQL 18 cannot be dumped by the machine's pg_dump 15), with the demo files,
 * and searched for every raw email, phone, street address, IP, card number, last four, BIN and
 * cardholder or buyer name the bodies hold. Each one is first found in the bodies, so that the
 * search could find it.
 */

const SHOP_A = 'generated-a.myshopify.com';
const SHOP_B = 'generated-b.myshopify.com';
const DAY = 86_400_000;
const start = new Date(Date.now() - 240 * DAY).toISOString().slice(0, 10);
const OPTIONS: GenerateOptions = { seed: 5, customers: 30, start, days: 238 };
const webhookShop = generateShop({ ...OPTIONS, shopDomain: SHOP_A });

let app: TestApp;
let dir: string;
let demoFiles = '';
let demoDeliveries: Delivery[] = [];

beforeAll(async () => {
  // Bodies dated months ago are not stale retries here: every delivery is taken.
  app = await startTestApp({ env: { WEBHOOK_STALE_AFTER_HOURS: '100000' }, backfill: { pageSize: 100, scorePageSize: 100 } });
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-pii-'));
  // Neither shop is connected to Shopify (no token): nothing is fetched, actions are skipped.
  for (const shop of [SHOP_A, SHOP_B]) {
    await app.stores.shops.install(shop, null, null);
    await app.stores.rulesets.ensurePublished(shop, DEFAULT_RULESET);
  }
}, 120_000);

afterAll(async () => {
  await app?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function decisionsOf(shop: string): Promise<number> {
  const row = await app.stores.db('decisions').where({ shop_id: shop }).count('* as n').first();
  return Number(row?.n ?? 0);
}

describe('a generated shop through the app', () => {
  it('takes every webhook body of shop A, signed, and scores each order, return and refund once', async () => {
    // What a connected shop would fetch (ProductFacts), stored as the app stores fetched answers.
    await app.stores.products.upsert(SHOP_A, webhookShop.products.flatMap((a) => a.data.nodes).map((node) => productFactsOf(node)!));
    let n = 0;
    for (const d of webhookShop.deliveries) {
      const response = await app.webhook(d.topic, JSON.stringify(d.body), { shop: SHOP_A, triggeredAt: d.at, webhookId: `pii-${n}`, eventId: `pii-event-${n++}` });
      expect(response.statusCode, `${d.topic} at ${d.at}: ${response.payload}`).toBe(200);
      expect(JSON.parse(response.payload), d.topic).toEqual({ ok: true });
    }
    await app.waitFor(async () => (await decisionsOf(SHOP_A)) >= webhookShop.labels.length, `${webhookShop.labels.length} decisions of shop A`, 180_000);
    expect(await decisionsOf(SHOP_A)).toBe(webhookShop.labels.length);
  }, 400_000);

  it('backfills shop B as the demo shop is: its history file and product answers, with the shop’s key', async () => {
    const shopKey = (await app.stores.shops.get(SHOP_B))!.hash_key;
    const history = join(dir, 'demo-history.jsonl');
    const products = join(dir, 'demo-products.json');
    expect(await ensureDemoHistory(history, { ...OPTIONS, seed: 6, shopKey, shopDomain: SHOP_B })).toBe(true);
    expect(await ensureDemoProducts(products)).toBe(true);
    expect(await ensureDemoHistory(history, { ...OPTIONS, seed: 6, shopKey, shopDomain: SHOP_B })).toBe(false); // kept across restarts
    const facts = await readProductFacts(products);
    await app.stores.products.upsert(SHOP_B, facts);
    expect((await app.stores.products.factsFor(SHOP_B, facts.map((f) => f.productId))).size).toBe(facts.length);
    expect(await app.backfill.start(SHOP_B, { kind: 'file', path: history }, { days: 365 })).toBe(true);
    const progress = await app.waitFor(async () => {
      const p = await app.backfill.progress(SHOP_B);
      return p.status === 'done' || p.status === 'failed' ? p : undefined;
    }, 'the backfill of shop B', 180_000);
    expect(progress.status).toBe('done');
    const generated = generateShop({ ...OPTIONS, seed: 6, shopKey, shopDomain: SHOP_B });
    expect(await decisionsOf(SHOP_B)).toBe(generated.labels.length);
    // The stored orders carry the product facts' source (product_facts) and their paying card (from the history's transactions).
    const orders = (await app.stores.db('events').where({ shop_id: SHOP_B, kind: 'order' }).select('body')).map((r) => r.body as { identity: { payment?: string } });
    expect(orders.length).toBe(generated.events.filter((e) => e.type === 'order').length);
    expect(orders.every((o) => o.identity.payment)).toBe(true);
    demoDeliveries = generated.deliveries;
    demoFiles = (await readFile(history, 'utf8')) + (await readFile(products, 'utf8'));
  }, 400_000);

  it('keeps none of the raw emails, phones, addresses, IPs, card numbers, last fours, BINs or names of the bodies, in any table or demo file', async () => {
    const tables: { schema: string; name: string }[] = (
      await app.stores.db.raw(`select table_schema as schema, table_name as name from information_schema.tables
                                where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1, 2`)
    ).rows;
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['events', 'decisions', 'identity_uses', 'webhook_deliveries', 'product_facts', 'job']));
    let dump = '';
    for (const { schema, name } of tables) {
      const { rows } = await app.stores.db.raw(`select t::text as line from "${schema}"."${name}" t`);
      dump += `${schema}.${name}\n${(rows as { line: string }[]).map((r) => r.line).join('\n')}\n`;
    }
    dump += demoFiles;
    // The dump holds both shops' history (so the search below looks at something).
    expect(dump).toContain(SHOP_A);
    expect(dump).toContain(SHOP_B);
    expect(dump).toMatch(/gid:\/\/shopify\/OrderTransaction\//);
    const deliveries = [...webhookShop.deliveries, ...demoDeliveries];
    const bodies = deliveries.map((d) => JSON.stringify(d.body)).join('\n');
    const checks = rawValues(deliveries);
    for (const kind of ['email', 'phone', 'street', 'ip', 'card number', 'last four', 'BIN', 'cardholder', 'name'] as const) {
      expect(checks.filter((c) => c.kind === kind).length, kind).toBeGreaterThan(kind === 'cardholder' ? 10 : 20);
    }
    const leaks: string[] = [];
    for (const check of checks) {
      expect(bodies, `the bodies carry ${check.kind} ${check.value}`).toMatch(check.inBody);
      for (const pattern of check.stored) {
        const found = pattern.exec(dump);
        if (found) leaks.push(`${check.kind} ${check.value}: …${dump.slice(Math.max(0, found.index - 80), found.index + 80)}…`);
      }
    }
    expect(leaks).toEqual([]);
  });
});

interface Check {
  kind: 'email' | 'phone' | 'street' | 'ip' | 'card number' | 'last four' | 'BIN' | 'cardholder' | 'name';
  value: string;
  /** How the value appears in the bodies. */
  inBody: RegExp;
  /** How it would appear if stored: any match is a leak. */
  stored: RegExp[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Digits standing alone: not inside a longer number, a hex hash, an id, a date (2025-…), a time or an amount (…​.00). */
const alone = (digits: string) => new RegExp(`(?<![0-9A-Za-z.:/+-])${digits}(?![0-9A-Za-z:/-]|\\.\\d)`);

/** Every raw identifier of the bodies, with how to find it. */
function rawValues(deliveries: readonly Delivery[]): Check[] {
  const checks = new Map<string, Check>();
  const add = (check: Check) => checks.set(`${check.kind}:${check.value}`, check);
  const literal = (kind: Check['kind'], value: string | null | undefined) => {
    if (!value) return;
    const pattern = new RegExp(escape(value), 'i');
    add({ kind, value, inBody: pattern, stored: [pattern] });
  };
  for (const { topic, body } of deliveries) {
    const b = body as Record<string, any>;
    if (topic === 'orders/create') {
      literal('email', b.email);
      literal('email', b.customer.email);
      for (const phone of [b.phone, b.customer.phone].filter(Boolean) as string[]) {
        const national = phone.slice(2);
        add({ kind: 'phone', value: phone, inBody: new RegExp(escape(phone)), stored: [new RegExp(escape(phone)), alone(national), new RegExp(`${national.slice(3, 6)}-${national.slice(6)}(?![0-9])`)] });
      }
      for (const address of [b.shipping_address, b.billing_address, b.customer.default_address]) {
        literal('street', address.address1);
        literal('name', `${address.first_name} ${address.last_name}`);
        if (address.phone) literal('phone', address.phone);
      }
      literal('name', `${b.customer.first_name} ${b.customer.last_name}`);
      add({ kind: 'ip', value: b.browser_ip, inBody: new RegExp(escape(b.browser_ip)), stored: [new RegExp(`(?<![0-9.])${escape(b.browser_ip)}(?![0-9])`)] });
    }
    if (topic === 'order_transactions/create') {
      const p = b.payment_details;
      const last4 = p.credit_card_number.slice(-4);
      literal('card number', p.credit_card_number);
      // A last four stored on its own would be a string field ("4242"), or after a mask (•••• 4242, **** 4242).
      add({ kind: 'last four', value: last4, inBody: new RegExp(`•\\s*${last4}(?![0-9])`), stored: [new RegExp(`[•*xX#]\\s*${last4}(?![0-9])`), new RegExp(`(?<![0-9])"{1,2}${last4}"{1,2}`)] });
      add({ kind: 'BIN', value: p.credit_card_bin, inBody: new RegExp(`"${p.credit_card_bin}"`), stored: [alone(p.credit_card_bin)] });
      literal('cardholder', p.credit_card_name);
    }
    if (topic.startsWith('fulfillments/')) literal('email', b.email);
  }
  return [...checks.values()];
}
