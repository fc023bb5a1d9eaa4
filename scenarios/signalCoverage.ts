import { execute, parse } from 'graphql';
import { createRegistry, type CompiledRuleset, type Ruleset } from '../engine/index.ts';
import { compileRuleset } from '../engine/index.ts';
import { replayHistory, type HistoryEvent } from '../engine/history/index.ts';
import { evaluateSignal, resolveParams, type AnySignal, type SignalContext, type SignalResult } from '../sdk/index.ts';
import { assembleBulkJsonl } from '../server/backfill/bulk/bulkJsonl.ts';
import { bulkQueryFor } from '../server/backfill/bulk/bulkQueries.ts';
import { pageEvents, stageItems, type RecordDetails } from '../server/backfill/bulk/bulkRecords.ts';
import { FETCH_STAGES } from '../server/backfill/HistorySource.ts';
import { readWebhookFixture, WEBHOOK_FIXTURES, fixtureTopic } from '../server/shopify/fixtures/readWebhookFixture.ts';
import { richOrder, returnWithLines } from '../server/shopify/fixtures/webhookVariants.ts';
import { normalizeWebhook, type NormalizedWebhook } from '../server/shopify/normalize/index.ts';
import { BACKFILL_REFUND_DETAILS, BACKFILL_RETURN_DETAILS, PRODUCT_FACTS } from '../server/shopify/operations.ts';
import { productFactsOf } from '../server/services/ProductCatalog.ts';
import { eventsWithProductFacts, productIdsOf, type ProductFacts } from '../server/store/index.ts';
import { historyFieldResolver, runBulkQuery, type GqlObject } from '../server/testing/bulkOperationsDouble.ts';
import { graphqlHistory } from '../server/testing/graphqlHistory.ts';
import { adminSchema } from '../server/testing/shopifyDouble.ts';

/**
 * Which inputs each signal reads, and whether Shopify's real payloads fill them (issue 20: several
 * signals read fields that only the demo generator filled, so on real shops they answered
 * `insufficient_data` for ever).
 *
 * - **Real records**: Shopify's own sample webhook bodies (and the variants of them that fill the
 *   keys the samples leave null, e.g. `browser_ip`) through the webhook normalizers; a generated
 *   shop round-tripped through the Admin API's bulk queries (the app's own queries, validated
 *   against the 2026-07 schema, answered in Shopify's JSONL shape) and the bulk normalizers; and,
 *   when given, the real UCI Online Retail history. A record field counts as filled when any of
 *   these records has a value there.
 * - **Reads**: every signal runs on the point-in-time contexts of these histories and of a
 *   generated shop (to exercise its branches), through a proxy that records each field it reads,
 *   named by record type (`OrderRecord.lineItems[].productType`) wherever the record sits in the
 *   context (the subject, the history).
 * - A signal is **blind** on a field it reads that no real record fills. Fields the app itself
 *   makes (derived facts, the baseline, the lists, earlier decisions and outcomes) are not payload
 *   fields and are not judged here.
 */

/** Context parts that hold records built from Shopify payloads, by the record type they hold. */
const RECORD_PATHS: [RegExp, string][] = [
  [/^subject\.order$/, 'OrderRecord'],
  [/^subject\.return$/, 'ReturnRecord'],
  [/^subject\.refund$/, 'RefundRecord'],
  [/^subject\.transactions\[\]$/, 'TransactionRecord'],
  [/^history\.orders\[\]$/, 'OrderRecord'],
  [/^history\.returns\[\]$/, 'ReturnRecord'],
  [/^history\.refunds\[\]$/, 'RefundRecord'],
  [/^history\.fulfillments\[\]$/, 'FulfillmentRecord'],
  [/^history\.chargebacks\[\]$/, 'ChargebackRecord'],
  [/^history\.transactions\[\]$/, 'TransactionRecord'],
  [/^customer$/, 'CustomerSnapshot'],
];

/** Where a history event's record sits, by event type, and its record type. */
const EVENT_RECORDS: Record<string, string> = {
  order: 'OrderRecord',
  return: 'ReturnRecord',
  refund: 'RefundRecord',
  fulfillment: 'FulfillmentRecord',
  chargeback: 'ChargebackRecord',
  customer: 'CustomerSnapshot',
  transaction: 'TransactionRecord',
  risk: 'RiskAssessmentRecord',
};

/** Record fields the app itself sets, not Shopify (a merchant's manual override of a customer). */
const APP_FIELDS = new Set(['CustomerSnapshot.manualOverride']);

const SHOP_KEY = 'coverage-shop-key';

export interface SignalCoverage {
  id: string;
  /** Record fields it reads (`Type.path`), each with whether real payloads fill it. */
  reads: { field: string; filled: boolean }[];
  /** The fields it reads that no real payload fills. */
  blind: string[];
  /** Its results on the contexts of the real histories, by status. */
  onReal: Record<SignalResult['status'], number>;
}

/**
 * Every field (`Type.path`, arrays as `[]`) that holds a value in some record of the histories:
 * of the stored records, and of the records as contexts carry them (where the history adds what
 * arrives later, e.g. an order's card from its transaction).
 */
export function filledFields(histories: readonly (readonly HistoryEvent[])[], contexts: readonly SignalContext[] = []): Set<string> {
  const fields = new Set<string>();
  const walk = (value: unknown, path: string) => {
    if (value === undefined || value === null) return;
    fields.add(path);
    if (Array.isArray(value)) for (const item of value) walk(item, `${path}[]`);
    else if (typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
  };
  for (const events of histories) {
    for (const event of events) {
      const type = EVENT_RECORDS[event.type];
      if (type) walk((event as unknown as Record<string, unknown>)[event.type], type);
    }
  }
  const parts: [unknown, string][] = [];
  for (const ctx of contexts) {
    parts.length = 0;
    parts.push([ctx.subject.order, 'OrderRecord'], [ctx.customer, 'CustomerSnapshot']);
    if (ctx.subject.kind === 'return') parts.push([ctx.subject.return, 'ReturnRecord']);
    if (ctx.subject.kind === 'refund') parts.push([ctx.subject.refund, 'RefundRecord']);
    for (const [key, type] of [['orders', 'OrderRecord'], ['returns', 'ReturnRecord'], ['refunds', 'RefundRecord'], ['fulfillments', 'FulfillmentRecord'], ['chargebacks', 'ChargebackRecord'], ['transactions', 'TransactionRecord']] as const) {
      for (const record of (ctx.history as unknown as Record<string, unknown[] | undefined>)[key] ?? []) parts.push([record, type]);
    }
    for (const [record, type] of parts) walk(record, type);
  }
  return fields;
}

/** The history events of the webhook samples (and variants filling the keys the samples leave null). */
export function sampleWebhookHistory(): HistoryEvent[] {
  const bodies: [string, string][] = WEBHOOK_FIXTURES.map((name) => [fixtureTopic(name), readWebhookFixture(name)]);
  bodies.push(['orders/create', JSON.stringify(richOrder())], ['returns/request', JSON.stringify(returnWithLines())]);
  // The keys the samples leave null, filled as a real checkout fills them: a public browser IP
  // (RIPE NCC's, in the Netherlands: richOrder's is a documentation address, which judges nothing),
  // and a card payment's details (BIN, expiry, holder, AVS and CVV codes).
  const withIp = richOrder();
  withIp.browser_ip = '193.0.6.139';
  withIp.client_details.browser_ip = '193.0.6.139';
  withIp.billing_address.latitude = 38.25;
  withIp.billing_address.longitude = -85.76;
  bodies.push(['orders/create', JSON.stringify(withIp)]);
  // …and one from a hosting network (Google's public resolver), another order of the sample's.
  const hosted = richOrder();
  hosted.id = 820982911946154509;
  hosted.admin_graphql_api_id = 'gid://shopify/Order/820982911946154509';
  hosted.browser_ip = '8.8.8.8';
  hosted.client_details.browser_ip = '8.8.8.8';
  bodies.push(['orders/create', JSON.stringify(hosted)]);
  // Shopify's own assessment of the sample order (the sample names no order).
  const risk = JSON.parse(readWebhookFixture('orders_risk_assessment_changed')) as Record<string, unknown>;
  Object.assign(risk, { order_id: 820982911946154508, admin_graphql_api_order_id: 'gid://shopify/Order/820982911946154508', created_at: '2021-12-31T19:00:05-05:00' });
  bodies.push(['orders/risk_assessment_changed', JSON.stringify(risk)]);
  const card = JSON.parse(readWebhookFixture('order_transactions_create')) as { kind: string; payment_details: Record<string, unknown> };
  card.kind = 'sale';
  Object.assign(card.payment_details, { credit_card_bin: '424242', credit_card_name: 'Jon Doe', credit_card_expiration_month: 11, credit_card_expiration_year: 2028, avs_result_code: 'N', cvv_result_code: 'M' });
  bodies.push(['order_transactions/create', JSON.stringify(card)]);
  const events: HistoryEvent[] = [];
  for (const [topic, body] of bodies) {
    let normalized: NormalizedWebhook;
    try {
      normalized = normalizeWebhook(topic, body, SHOP_KEY, { triggeredAt: '2022-01-01T00:00:00Z' });
    } catch {
      continue; // a sample refused under its own topic would fail the normalizer's own tests
    }
    events.push(...eventsOf(normalized));
  }
  return events;
}

function eventsOf(webhook: NormalizedWebhook): HistoryEvent[] {
  switch (webhook.kind) {
    case 'order':
      return webhook.customer ? [{ type: 'customer', customer: webhook.customer }, { type: 'order', order: webhook.order }] : [{ type: 'order', order: webhook.order }];
    case 'fulfillment':
      return [{ type: 'fulfillment', fulfillment: webhook.fulfillment }];
    case 'return':
      return [{ type: 'return', return: webhook.return }];
    case 'refund':
      return [{ type: 'refund', refund: webhook.refund }];
    case 'dispute':
      return [{ type: 'chargeback', chargeback: webhook.chargeback }];
    default: {
      // Topics other engineers add (transactions, risk assessments) carry their records under their kind.
      const record = (webhook as unknown as Record<string, unknown>)[webhook.kind];
      return record && EVENT_RECORDS[webhook.kind] ? [{ type: webhook.kind, [webhook.kind]: record } as unknown as HistoryEvent] : [];
    }
  }
}

/**
 * A history as the app's bulk queries would fetch it: the events in GraphQL shape, each fetch
 * stage's bulk query (validated against the 2026-07 schema) answered as Shopify answers it, and
 * the answers through the bulk normalizers, as a backfill does. What the queries do not fetch, or
 * the schema does not have, is lost on the way.
 */
export async function throughBulkQueries(events: readonly HistoryEvent[], products: readonly GqlObject[] = []): Promise<HistoryEvent[]> {
  const schema = adminSchema();
  const history = graphqlHistory(events);
  const window = { from: '1970-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };
  const byId = new Map<string, GqlObject>();
  for (const order of history.orders) {
    for (const r of (order.returns as GqlObject[] | undefined) ?? []) byId.set(r.id, { __typename: 'Return', ...r });
    for (const r of (order.refunds as GqlObject[] | undefined) ?? []) byId.set(r.id, { __typename: 'Refund', ...r });
  }
  const out: HistoryEvent[] = [];
  for (const stage of FETCH_STAGES) {
    const { jsonl } = await runBulkQuery(schema, bulkQueryFor(stage, window), history);
    const items = stageItems(stage, assembleBulkJsonl(jsonl), window, SHOP_KEY);
    const details = new Map<string, RecordDetails>();
    if (stage === 'returns' || stage === 'refunds') {
      const document = parse(stage === 'returns' ? BACKFILL_RETURN_DETAILS : BACKFILL_REFUND_DETAILS);
      const ids = items.map((item) => item.id);
      const result = await execute({ schema, document, variableValues: { ids }, rootValue: { nodes: () => ids.map((id) => byId.get(id) ?? null) }, fieldResolver: historyFieldResolver });
      if (result.errors?.length) throw new Error(`the ${stage} details query failed: ${result.errors[0]!.message}`);
      for (const node of (result.data?.nodes ?? []) as (RecordDetails | null)[]) if (node && typeof node.id === 'string') details.set(node.id, node);
    }
    out.push(...pageEvents(stage, items, details));
  }
  return withFetchedProductFacts(out, products);
}

/**
 * The orders completed with their products' facts as the app gets them: the `ProductFacts`
 * operation (validated against the schema) answered from `products` (Product objects in GraphQL
 * shape), read by `productFactsOf`, put on the lines by `withProductFacts`.
 */
async function withFetchedProductFacts(events: HistoryEvent[], products: readonly GqlObject[]): Promise<HistoryEvent[]> {
  if (products.length === 0) return events;
  const schema = adminSchema();
  const byId = new Map(products.map((p) => [p.id, { __typename: 'Product', ...p }]));
  const ids = productIdsOf(events.flatMap((e) => (e.type === 'order' ? [e.order] : [])));
  const result = await execute({ schema, document: parse(PRODUCT_FACTS), variableValues: { ids }, rootValue: { nodes: () => ids.map((id) => byId.get(id) ?? null) }, fieldResolver: historyFieldResolver });
  if (result.errors?.length) throw new Error(`the ProductFacts query failed: ${result.errors[0]!.message}`);
  const facts = new Map<string, ProductFacts>();
  for (const node of (result.data?.nodes ?? []) as ({ id?: unknown } | null)[]) {
    const fact = node ? productFactsOf(node) : null;
    if (fact) facts.set(fact.productId, fact);
  }
  return eventsWithProductFacts(events, facts);
}

/** A ruleset with every registered signal on, at its default weight: each one runs on every context of its kinds. */
function everySignal(signals: readonly AnySignal[]): Ruleset {
  return { id: 'coverage', version: 1, appliesTo: ['order', 'return', 'refund'], zones: { medium: 31, high: 66 }, signals: Object.fromEntries(signals.map((s) => [s.meta.id, {}])) };
}

/** The point-in-time contexts of a history (every order, return and refund), as replays build them. */
function contextsOf(events: readonly HistoryEvent[], compiled: CompiledRuleset): SignalContext[] {
  const contexts: SignalContext[] = [];
  for (const { context } of replayHistory(events, compiled, { shopId: 'coverage.myshopify.com', keepContexts: true })) contexts.push(context!);
  return contexts;
}

/**
 * Runs each signal on each context through a proxy that records the record fields it reads.
 * The context is copied first (a frozen object cannot hand out proxies of its parts).
 */
function recordReads(signals: readonly AnySignal[], contexts: readonly SignalContext[], onResult?: (id: string, result: SignalResult) => void): Map<string, Set<string>> {
  const reads = new Map<string, Set<string>>(signals.map((s) => [s.meta.id, new Set<string>()]));
  let current: Set<string> = new Set();
  const wrap = (value: unknown, path: string, record: string | null): unknown => {
    if (value === null || typeof value !== 'object') return value;
    return new Proxy(value as object, {
      get(target, prop, receiver) {
        const child = Reflect.get(target, prop, receiver);
        if (typeof prop === 'symbol') return child;
        if (Array.isArray(target)) {
          if (!/^\d+$/.test(prop)) return child; // length, methods
          return wrap(child, `${path}[]`, record === null ? null : `${record}[]`);
        }
        if (typeof child === 'function' && !Object.hasOwn(target, prop)) return child;
        const childPath = path === '' ? prop : `${path}.${prop}`;
        const own = RECORD_PATHS.find(([pattern]) => pattern.test(childPath))?.[1];
        const childRecord = own ?? (record === null ? null : `${record}.${prop}`);
        if (childRecord !== null && own === undefined) current.add(childRecord);
        if (own !== undefined) current.add(own);
        return wrap(child, childPath, childRecord);
      },
      has(target, prop) {
        if (typeof prop === 'string' && record !== null && !Array.isArray(target)) current.add(`${record}.${prop}`);
        return Reflect.has(target, prop);
      },
    });
  };
  for (const context of contexts) {
    const copy = structuredClone(context);
    for (const signal of signals) {
      if (!signal.meta.appliesTo.includes(copy.subject.kind)) continue;
      current = reads.get(signal.meta.id)!;
      const resolved = resolveParams(signal, {});
      if (!resolved.ok) throw new Error(`${signal.meta.id}: its default params do not resolve`);
      const result = evaluateSignal(signal, wrap(copy, '', null) as SignalContext, resolved.params);
      onResult?.(signal.meta.id, result);
    }
  }
  return reads;
}

/**
 * Per signal: the record fields it reads, those real payloads never fill, and what it answers on
 * the real histories. `exercise` are histories that fill every field (generated) so that each
 * signal's branches run; `real` the histories built from Shopify's payloads.
 */
export function signalCoverage(signals: readonly AnySignal[], real: readonly (readonly HistoryEvent[])[], exercise: readonly (readonly HistoryEvent[])[]): SignalCoverage[] {
  const compiled = compileRuleset(everySignal(signals), createRegistry([...signals]));
  const realContexts = real.flatMap((events) => contextsOf(events, compiled));
  const filled = filledFields(real, realContexts);
  const onReal = new Map(signals.map((s) => [s.meta.id, { hit: 0, no_hit: 0, insufficient_data: 0, error: 0 } as SignalCoverage['onReal']]));
  const realReads = recordReads(signals, realContexts, (id, result) => onReal.get(id)![result.status]++);
  const exerciseReads = recordReads(signals, exercise.flatMap((events) => contextsOf(events, compiled)));
  return signals.map((signal) => {
    const id = signal.meta.id;
    const fields = [...new Set([...realReads.get(id)!, ...exerciseReads.get(id)!])].sort();
    const reads = fields.filter((field) => !APP_FIELDS.has(field)).map((field) => ({ field, filled: isFilled(field, filled) }));
    return { id, reads, blind: reads.filter((r) => !r.filled).map((r) => r.field), onReal: onReal.get(id)! };
  });
}

/** A record itself (`OrderRecord`) counts as filled when any record of its type exists; a field when it has a value somewhere. */
function isFilled(field: string, filled: ReadonlySet<string>): boolean {
  return filled.has(field);
}

/** The events of the first `customers` customers of a history (and their guests' orders' records), to keep a large history quick. */
export function firstCustomers(events: readonly HistoryEvent[], customers: number): HistoryEvent[] {
  const kept = new Set<string>();
  const orders = new Set<string>();
  const out: HistoryEvent[] = [];
  for (const event of events) {
    if (event.type === 'customer') {
      if (kept.size >= customers && !kept.has(event.customer.id)) continue;
      kept.add(event.customer.id);
      out.push(event);
    } else if (event.type === 'order') {
      if (event.order.customerId && !kept.has(event.order.customerId)) continue;
      if (!event.order.customerId && orders.size >= customers * 5) continue;
      orders.add(event.order.id);
      out.push(event);
    } else {
      const orderId = (event as unknown as Record<string, { orderId?: string }>)[event.type]?.orderId;
      if (orderId === undefined || orders.has(orderId)) out.push(event);
    }
  }
  return out;
}

/** The table `npm run coverage:signals` prints. */
export function formatCoverage(rows: readonly SignalCoverage[]): string {
  const lines: string[] = [];
  for (const row of rows) {
    const answered = row.onReal.hit + row.onReal.no_hit;
    const verdict = row.blind.length > 0 ? 'BLIND' : answered > 0 ? 'answers' : 'no answer on the samples';
    lines.push(`${row.id.padEnd(40)} ${verdict.padEnd(24)} real contexts: ${row.onReal.hit} hit, ${row.onReal.no_hit} no hit, ${row.onReal.insufficient_data} insufficient, ${row.onReal.error} error`);
    for (const read of row.reads) lines.push(`    ${read.filled ? 'filled' : 'NEVER '} ${read.field}`);
  }
  return lines.join('\n');
}
