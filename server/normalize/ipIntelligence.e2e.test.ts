import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWebhookFixture } from '../shopify/fixtures/readWebhookFixture.ts';
import { startTestApp, type TestApp } from '../testing/testApp.ts';

/**
 * The browser IP end to end: Shopify's sample `orders/create`, signed, placed from a real public
 * IP (RIPE NCC's web server in Amsterdam) to its US addresses (given Louisville's coordinates).
 * The webhook thread judges the IP offline; the stored trace answers the IP signals; the IP
 * itself is stored nowhere.
 */
const SHOP = 'ip-e2e.myshopify.com';
const BROWSER_IP = '193.0.6.139';
const ORDER_ID = 'gid://shopify/Order/820982911946154508';

const body = readWebhookFixture('orders_create')
  .replace('"browser_ip": null', `"browser_ip": "${BROWSER_IP}"`)
  .replace(
    '"client_details": null',
    `"client_details": { "browser_ip": "${BROWSER_IP}", "accept_language": "nl-NL", "user_agent": "Mozilla/5.0 (X11; Linux x86_64)", "browser_width": 1280, "browser_height": 720 }`,
  )
  .replaceAll('"latitude": null', '"latitude": 38.2527')
  .replaceAll('"longitude": null', '"longitude": -85.7585');

interface Traced {
  id: string;
  status: string;
  strength: number;
  evidence: Record<string, unknown>;
}

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
  await app.installShop(SHOP);
});
afterAll(async () => {
  await app?.stop();
});

describe('a signed orders/create with a real browser IP', () => {
  it('gets IP answers in the stored trace, and the IP is stored in no table', async () => {
    expect(body).toContain(BROWSER_IP);
    const response = await app.webhook('orders/create', body, { shop: SHOP });
    expect(response.statusCode).toBe(200);
    const decision = await app.waitFor(() => app.stores.decisions.bySubject(SHOP, ORDER_ID), 'the decision');
    const signals = new Map((decision.trace.signals as Traced[]).map((s) => [s.id, s]));

    expect(signals.get('order.ip-country-mismatch')).toMatchObject({
      status: 'hit',
      strength: 1,
      evidence: { ipCountry: 'NL', shippingCountry: 'US', billingCountry: 'US' },
    });
    expect(signals.get('order.hosting-ip')).toMatchObject({ status: 'no_hit', evidence: { asn: 3333 } });
    expect(signals.get('order.ip-far-from-address')).toMatchObject({ status: 'hit', strength: 1, evidence: { ipCountry: 'NL' } });
    expect(signals.get('order.ip-far-from-address')!.evidence.shippingKm).toBeGreaterThan(6_000);
    // order.chargeback-prone reads the IP country too: the sample's US addresses make it a factor.
    expect(signals.get('order.chargeback-prone')!.evidence.factors).toContain('foreign IP');

    // Every table of every schema (ours and pg-boss's), each row as text.
    const tables: { table_schema: string; table_name: string }[] = (
      await app.stores.db.raw(
        `select table_schema, table_name from information_schema.tables
          where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema')`,
      )
    ).rows;
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(['decisions', 'events']));
    const tablesHolding = async (text: string) => {
      const holding: string[] = [];
      for (const { table_schema: schema, table_name: table } of tables) {
        const found = await app.stores.db.raw('select count(*)::int as n from ??.?? as t where t::text like ?', [schema, table, `%${text}%`]);
        if (found.rows[0].n > 0) holding.push(`${schema}.${table}`);
      }
      return holding;
    };
    expect(await tablesHolding(SHOP)).toContain('public.decisions'); // the scan does find what is stored
    expect(await tablesHolding(BROWSER_IP)).toEqual([]);
  });
});
