import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { sortEvents, type HistoryEvent } from '../engine/history/index.ts';
import { normalizeDispute } from '../server/shopify/normalize/normalizeDispute.ts';
import { normalizeOrder } from '../server/shopify/normalize/normalizeOrder.ts';

/**
 * Converts the labelled e-commerce fraud development set (`../shared/data/ecommerce_fraud_dev.csv.gz`:
 * the public "Fraud_Data" case study, Kaggle "Fraud ecommerce", rows from
 * `revanthsivaraju12/Fraud-data-Detection`; no licence stated, so it is used to evaluate methods
 * and never shipped) into a shop history, honestly: only what a row says, through the payload
 * shapes the app receives, nothing invented.
 *
 * Each row is one user's sign-up and first purchase. It becomes:
 * - an **orders/create body** read by the app's own normalizer (`normalizeOrder`): the order at
 *   `purchase_time` with `purchase_value` as its total (and subtotal: the data splits out no
 *   shipping, tax or discount), bought by a customer whose `created_at` is `signup_time`.
 *   The customer record of the history is the one the normalizer makes of that body.
 * - for `class` 1, a **disputes/create body** read by `normalizeDispute`: a `chargeback` with
 *   reason `fraudulent` for the order's whole value, initiated {@link CHARGEBACK_DELAY_DAYS}
 *   days after the purchase, status `needs_response` (a new dispute's status). The label reaches
 *   the history this way only; `labels` keeps the class for scoring the replay.
 *
 * **The device id.** Shopify has no field for a web shopper's device id: the order's own
 * `device_id` and GraphQL's `PointOfSaleDevice` name the Point of Sale device a sale was rung
 * up on, and the normalizer does not read them. What Shopify does send about the buyer's device
 * is `client_details` (user agent, Accept-Language), from which the normalizer makes the order's
 * keyed `device` hash (`identityHashes.ts deviceHash`: `keyedHash(shopKey, 'device', …)`). So the
 * data's `device_id` goes in as `client_details.user_agent` (with no Accept-Language): the
 * history's device hash is then the shop-keyed hash of the device id, made by the same code that
 * hashes a live order's device, and two users share it exactly when they share a device id
 * (tested). No raw device id is kept.
 *
 * **Assumed, because a body needs it and the data does not say**: the currency (USD; the case
 * study states none), the times' zone (UTC; the data gives none, to the minute), an order with
 * no line items (the data names no products; `line_items` is required, its contents are not),
 * `total_discounts` 0.
 *
 * **Left out, with no honest place in a Shopify payload**: `source` (SEO/Ads/Direct is a
 * marketing channel, not Shopify's `source_name` sales channel; the normalizer reads neither
 * `referring_site` nor `landing_site`), `browser` (a browser family, not a user agent; folding it
 * into the user agent would split devices the data says are one), `sex` and `age`. There is no
 * IP, email, phone, address, payment or product in the data, so none is made up: signals that
 * need them answer `insufficient_data`.
 *
 * **The account.** Each row is a sign-up: an account the user opened, so the customer's `state` is
 * `enabled` (Shopify's state for an opened account; `disabled` would be a record a checkout made for a
 * guest).
 *
 * **Purchases in the same minute.** The data's times are to the minute, and many purchases share
 * one (1,166 users share devices, mostly buying in the very minute their device's other users do).
 * A live shop sees them one after another, to the second; point-in-time, orders at the same
 * instant never see each other, so every such group would look like strangers. Within a minute,
 * purchases are spread a second apart in the file's order ({@link spreadWithinMinutes}): the true
 * order within the minute is unknown, but any order gives a group of n users on one device the
 * same counts of earlier users (0, 1, …, n-1). Sign-ups keep their minute (a sign-up in the
 * purchase's minute stays at or before the purchase).
 *
 * **The chargeback delay, 42 days (six weeks).** A card-not-present fraud chargeback starts when
 * the cardholder sees the charge on a statement (monthly: 0-30 days after the purchase) and
 * disputes it, and the issuer files (days to a couple of weeks); the networks allow 120 days
 * (Visa 10.4, Mastercard 4837), and most fraud disputes land in the first one or two billing
 * cycles. One fixed delay, not a drawn one, since the data has none to draw from; it only
 * decides when the label becomes known to later orders, point-in-time.
 */
export interface FraudDevRow {
  userId: number;
  /** ISO, UTC. */
  signupAt: string;
  purchaseAt: string;
  purchaseValue: number;
  deviceId: string;
  fraud: boolean;
}

export interface FraudDevLabel {
  orderId: string;
  customerId: string;
  /** The order's time (ISO). */
  at: string;
  fraud: boolean;
}

export interface FraudDevHistory {
  events: HistoryEvent[];
  /** One per order: the data's class, for scoring the replay (the history holds only the chargebacks). */
  labels: FraudDevLabel[];
  stats: {
    rows: number;
    customers: number;
    orders: number;
    chargebacks: number;
    frauds: number;
    /** Distinct device ids, and those used by more than one user. */
    devices: number;
    sharedDevices: number;
    usersOnSharedDevices: number;
    first: string;
    last: string;
    /** Purchases in the same minute as the sign-up (the data's timestamps are to the minute): how many, how many fraud, the last one's time. */
    sameMinute: { orders: number; frauds: number; last: string };
  };
}

export interface FraudDevOptions {
  /** The shop's key for identifier hashes. Default {@link FRAUD_DEV_SHOP_KEY}. */
  shopKey?: string;
}

/** The data set's header, in its order. */
export const FRAUD_DEV_COLUMNS = ['user_id', 'signup_time', 'purchase_time', 'purchase_value', 'device_id', 'source', 'browser', 'sex', 'age', 'class'] as const;
export const CHARGEBACK_DELAY_DAYS = 42;
/** The replay shop's hashing key (any fixed key: hashes only have to agree within the shop). */
export const FRAUD_DEV_SHOP_KEY = 'fraud-dev.myshopify.com/identity-key';
/** Assumed: the case study states no currency. */
export const CURRENCY = 'USD';

const DAY_MS = 86_400_000;

type CsvRow = Record<(typeof FRAUD_DEV_COLUMNS)[number], string>;

/** Reads the gzipped CSV (header checked, every row checked) and converts it. */
export async function readFraudDevHistory(path: string, options: FraudDevOptions = {}): Promise<FraudDevHistory> {
  const parser = parse({ columns: true, skip_empty_lines: true });
  // A read or gunzip error destroys the parser with it, so the loop below throws it.
  pipeline(createReadStream(path), createGunzip(), parser).catch(() => {});
  const rows: FraudDevRow[] = [];
  let line = 1;
  for await (const row of parser as AsyncIterable<CsvRow>) {
    line++;
    if (line === 2) {
      const missing = FRAUD_DEV_COLUMNS.filter((column) => !(column in row));
      if (missing.length > 0) throw new Error(`the header lacks ${missing.join(', ')} (expected ${FRAUD_DEV_COLUMNS.join(',')})`);
    }
    rows.push(parseFraudDevRow(row, line));
  }
  return fraudDevHistory(rows, options);
}

/** One CSV record, checked; throws naming the line and the field. */
export function parseFraudDevRow(row: CsvRow, line: number): FraudDevRow {
  const fail = (field: string, problem: string): never => {
    throw new Error(`line ${line}: ${field} ${problem} (got ${JSON.stringify(row[field as keyof CsvRow])})`);
  };
  const userId = Number(row.user_id);
  if (!/^\d{1,15}$/.test(row.user_id) || !Number.isSafeInteger(userId)) fail('user_id', 'must be a whole number');
  const signupAt = dataTime(row.signup_time) ?? fail('signup_time', 'must be M/D/YY H:MM');
  const purchaseAt = dataTime(row.purchase_time) ?? fail('purchase_time', 'must be M/D/YY H:MM');
  if (Date.parse(purchaseAt) < Date.parse(signupAt)) fail('purchase_time', `is before signup_time ${row.signup_time}`);
  const purchaseValue = Number(row.purchase_value);
  if (!/^\d{1,10}(\.\d{1,2})?$/.test(row.purchase_value)) fail('purchase_value', 'must be an amount');
  const deviceId = row.device_id.trim();
  if (!deviceId) fail('device_id', 'is empty');
  if (row.class !== '0' && row.class !== '1') fail('class', 'must be 0 or 1');
  return { userId, signupAt, purchaseAt, purchaseValue, deviceId, fraud: row.class === '1' };
}

/** `8/20/15 4:19` → `2015-08-20T04:19:00Z` (the data's years are 2015-2016; read as 20YY, UTC). */
export function dataTime(text: string): string | undefined {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{2}) (\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return undefined;
  const [month, day, year, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const at = Date.UTC(2000 + year, month - 1, day, hour, minute);
  const date = new Date(at);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59) return undefined;
  return date.toISOString().replace('.000Z', 'Z');
}

/** The orders/create body Shopify would send for the row's purchase (only the fields the row fills). */
export function orderBody(row: FraudDevRow): Record<string, unknown> {
  const total = row.purchaseValue.toFixed(2);
  return {
    id: row.userId,
    admin_graphql_api_id: `gid://shopify/Order/${row.userId}`,
    created_at: row.purchaseAt,
    updated_at: row.purchaseAt,
    currency: CURRENCY,
    total_price: total,
    subtotal_price: total,
    total_discounts: '0.00',
    line_items: [],
    client_details: { user_agent: row.deviceId },
    customer: { id: row.userId, admin_graphql_api_id: `gid://shopify/Customer/${row.userId}`, created_at: row.signupAt, state: 'enabled' },
  };
}

/** The disputes/create body of a fraud row's chargeback. */
export function disputeBody(row: FraudDevRow): Record<string, unknown> {
  return {
    id: row.userId,
    order_id: row.userId,
    type: 'chargeback',
    amount: row.purchaseValue.toFixed(2),
    currency: CURRENCY,
    reason: 'fraudulent',
    status: 'needs_response',
    initiated_at: new Date(Date.parse(row.purchaseAt) + CHARGEBACK_DELAY_DAYS * DAY_MS).toISOString().replace('.000Z', 'Z'),
    evidence_sent_on: null,
    finalized_on: null,
  };
}

/**
 * The rows with purchases that share a minute spread one second apart, in the rows' order (at most
 * 59 seconds into the minute): see "Purchases in the same minute" above.
 */
export function spreadWithinMinutes(rows: readonly FraudDevRow[]): FraudDevRow[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const rank = seen.get(row.purchaseAt) ?? 0;
    seen.set(row.purchaseAt, rank + 1);
    if (rank === 0) return row;
    return { ...row, purchaseAt: new Date(Date.parse(row.purchaseAt) + Math.min(59, rank) * 1000).toISOString().replace('.000Z', 'Z') };
  });
}

/** The rows as a shop history (events in time order), through the app's normalizers. */
export function fraudDevHistory(given: readonly FraudDevRow[], options: FraudDevOptions = {}): FraudDevHistory {
  const rows = spreadWithinMinutes(given);
  const shopKey = options.shopKey ?? FRAUD_DEV_SHOP_KEY;
  const events: HistoryEvent[] = [];
  const labels: FraudDevLabel[] = [];
  const users = new Set<number>();
  const devices = new Map<string, number>();
  let chargebacks = 0;
  for (const row of rows) {
    // One purchase per user is the data's shape: the user id keys the customer, order and dispute.
    if (users.has(row.userId)) throw new Error(`user ${row.userId} appears twice: the data has one purchase per user`);
    users.add(row.userId);
    devices.set(row.deviceId, (devices.get(row.deviceId) ?? 0) + 1);
    const { order, customer } = normalizeOrder(orderBody(row), shopKey);
    events.push({ type: 'customer', customer: customer! }, { type: 'order', order });
    labels.push({ orderId: order.id, customerId: customer!.id, at: order.createdAt, fraud: row.fraud });
    if (row.fraud) {
      events.push({ type: 'chargeback', chargeback: normalizeDispute(disputeBody(row)) });
      chargebacks++;
    }
  }
  const shared = [...devices.values()].filter((n) => n > 1);
  const sameMinute = given.filter((r) => r.purchaseAt === r.signupAt);
  const times = labels.map((l) => l.at).sort();
  return {
    events: sortEvents(events),
    labels: labels.sort((a, b) => a.at.localeCompare(b.at) || a.orderId.localeCompare(b.orderId)),
    stats: {
      rows: rows.length,
      customers: users.size,
      orders: labels.length,
      chargebacks,
      frauds: rows.filter((r) => r.fraud).length,
      devices: devices.size,
      sharedDevices: shared.length,
      usersOnSharedDevices: shared.reduce((sum, n) => sum + n, 0),
      first: times[0] ?? '',
      last: times.at(-1) ?? '',
      sameMinute: { orders: sameMinute.length, frauds: sameMinute.filter((r) => r.fraud).length, last: sameMinute.map((r) => r.purchaseAt).sort().at(-1) ?? '' },
    },
  };
}
