import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../engine/history/index.ts';
import { deviceHash } from '../server/shopify/normalize/identityHashes.ts';
import { CHARGEBACK_DELAY_DAYS, dataTime, FRAUD_DEV_SHOP_KEY, fraudDevHistory, readFraudDevHistory, spreadWithinMinutes, type FraudDevHistory } from './fraudDevHistory.ts';

const REAL = new URL('../../shared/data/ecommerce_fraud_dev.csv.gz', import.meta.url).pathname;
const HEADER = 'user_id,signup_time,purchase_time,purchase_value,device_id,source,browser,sex,age,class';
/** Five users: 11 and 12 share device SHAREDDEV (11 bought in the minute it signed up, fraud); 13 is fraud alone; 14 and 15 honest. */
const ROWS = [
  '11,1/1/15 0:10,1/1/15 0:10,34,SHAREDDEV,Direct,Chrome,M,39,1',
  '12,1/1/15 0:11,1/1/15 0:11,34,SHAREDDEV,Direct,Chrome,M,39,0',
  '13,2/24/15 22:55,4/18/15 2:47,9,OWNDEVICEA,SEO,Chrome,F,53,1',
  '14,6/3/15 0:27,8/20/15 4:19,27,OWNDEVICEB,Ads,Safari,M,42,0',
  '15,7/24/15 7:46,10/12/15 1:36,128,OWNDEVICEC,Direct,IE,F,18,0',
];

let dir: string;
async function csvFile(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, gzipSync(`${lines.join('\n')}\n`));
  return path;
}
const of = <T extends HistoryEvent['type']>(h: FraudDevHistory, type: T) => h.events.filter((e): e is Extract<HistoryEvent, { type: T }> => e.type === type);

/** The keys of a record holding a value: not undefined, null, an empty list or an empty object. */
function filled(record: object): string[] {
  return Object.entries(record)
    .filter(([, v]) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0) && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0))
    .map(([k]) => k)
    .sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fraud-dev-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('fraudDevHistory: an honest shop history of the fraud development set', () => {
  it('makes one customer and one order per row and one chargeback per fraud, nothing more', async () => {
    const h = await readFraudDevHistory(await csvFile('five.csv.gz', [HEADER, ...ROWS]));
    expect(h.events.map((e) => e.type).sort()).toEqual([...Array(5).fill('customer'), ...Array(5).fill('order'), 'chargeback', 'chargeback'].sort());
    expect(h.stats).toMatchObject({ rows: 5, customers: 5, orders: 5, chargebacks: 2, frauds: 2, devices: 4, sharedDevices: 1, usersOnSharedDevices: 2 });
    expect(h.stats.sameMinute).toEqual({ orders: 2, frauds: 1, last: '2015-01-01T00:11:00Z' });
    expect(h.labels.map((l) => [l.orderId, l.fraud])).toEqual([
      ['gid://shopify/Order/11', true],
      ['gid://shopify/Order/12', false],
      ['gid://shopify/Order/13', true],
      ['gid://shopify/Order/14', false],
      ['gid://shopify/Order/15', false],
    ]);
  });

  it('a customer created at sign-up; an order at the purchase for its value; the chargeback 42 days on', async () => {
    const h = await readFraudDevHistory(await csvFile('five.csv.gz', [HEADER, ...ROWS]));
    const customer = of(h, 'customer').find((e) => e.customer.id === 'gid://shopify/Customer/13')!.customer;
    const order = of(h, 'order').find((e) => e.order.id === 'gid://shopify/Order/13')!.order;
    const chargeback = of(h, 'chargeback').find((e) => e.chargeback.orderId === order.id)!.chargeback;
    expect(customer.createdAt).toBe('2015-02-24T22:55:00Z');
    expect(order).toMatchObject({ customerId: customer.id, createdAt: '2015-04-18T02:47:00Z', totalPrice: 9, subtotalPrice: 9, currency: 'USD' });
    expect(chargeback).toEqual({
      id: 'gid://shopify/ShopifyPaymentsDispute/13',
      orderId: order.id,
      initiatedAt: '2015-05-30T02:47:00Z',
      amount: 9,
      reason: 'fraudulent',
      status: 'needs_response',
      type: 'chargeback',
    });
    expect(Date.parse(chargeback.initiatedAt) - Date.parse(order.createdAt)).toBe(CHARGEBACK_DELAY_DAYS * 86_400_000);
    // Time order: each customer before its order, each chargeback after it.
    const times = h.events.map((e) => (e.type === 'customer' ? e.customer.createdAt! : e.type === 'order' ? e.order.createdAt : e.type === 'chargeback' ? e.chargeback.initiatedAt : ''));
    expect([...times].sort()).toEqual(times);
  });

  it('fills no field the CSV does not give: no email, phone, address, IP, payment, product or discount code', async () => {
    const h = await readFraudDevHistory(await csvFile('five.csv.gz', [HEADER, ...ROWS]));
    for (const { order } of of(h, 'order')) {
      expect(filled(order)).toEqual(['createdAt', 'currency', 'customerId', 'id', 'identity', 'subtotalPrice', 'totalDiscounts', 'totalPrice']);
      expect(Object.keys(order.identity)).toEqual(['device']);
      expect(order.totalDiscounts).toBe(0);
    }
    // The account state is the sign-up's meaning: an account the user opened (Shopify's "enabled").
    for (const { customer } of of(h, 'customer')) expect(filled(customer)).toEqual(['accountState', 'createdAt', 'id']);
    for (const { customer } of of(h, 'customer')) expect(customer.accountState).toBe('enabled');
    // The columns with no payload place (source, browser, sex, age) and the raw device id are nowhere.
    const text = JSON.stringify(h.events);
    for (const dropped of ['SHAREDDEV', 'OWNDEVICE', 'Direct', 'SEO', 'Ads', 'Chrome', 'Safari', '"M"', '"F"']) expect(text).not.toContain(dropped);
  });

  it("the device hash is the normalizer's shop-keyed hash of the device id: it groups exactly the users sharing one", async () => {
    const path = await csvFile('five.csv.gz', [HEADER, ...ROWS]);
    const h = await readFraudDevHistory(path);
    const device = new Map(of(h, 'order').map(({ order }) => [order.id.split('/').at(-1), order.identity.device]));
    expect(device.get('11')).toBe(device.get('12'));
    expect(new Set(device.values()).size).toBe(4);
    expect(device.get('11')).toBe(deviceHash(FRAUD_DEV_SHOP_KEY, 'SHAREDDEV'));
    expect(device.get('13')).toBe(deviceHash(FRAUD_DEV_SHOP_KEY, 'OWNDEVICEA'));
    // Keyed per shop: another shop's key gives other hashes, still grouping the same users.
    const other = await readFraudDevHistory(path, { shopKey: 'another-shop-key' });
    const otherDevice = new Map(of(other, 'order').map(({ order }) => [order.id.split('/').at(-1), order.identity.device]));
    expect(otherDevice.get('11')).not.toBe(device.get('11'));
    expect(otherDevice.get('11')).toBe(otherDevice.get('12'));
  });

  it('refuses a wrong header and bad rows, naming the line and field', async () => {
    await expect(readFraudDevHistory(await csvFile('header.csv.gz', ['user_id,signup_time,purchase_time', '1,1/1/15 0:10,1/1/15 0:10']))).rejects.toThrow(
      /header lacks purchase_value, device_id, source, browser, sex, age, class/,
    );
    const bad = (row: string) => csvFile('bad.csv.gz', [HEADER, ROWS[0]!, row]).then((p) => readFraudDevHistory(p));
    await expect(bad('12,2/30/15 0:11,3/1/15 0:11,34,D,Direct,Chrome,M,39,0')).rejects.toThrow(/line 3: signup_time must be M\/D\/YY H:MM/);
    await expect(bad('12,3/1/15 0:11,2/1/15 0:11,34,D,Direct,Chrome,M,39,0')).rejects.toThrow(/line 3: purchase_time is before signup_time/);
    await expect(bad('12,1/1/15 0:11,1/1/15 0:11,-3,D,Direct,Chrome,M,39,0')).rejects.toThrow(/line 3: purchase_value must be an amount/);
    await expect(bad('12,1/1/15 0:11,1/1/15 0:11,3,,Direct,Chrome,M,39,0')).rejects.toThrow(/line 3: device_id is empty/);
    await expect(bad('12,1/1/15 0:11,1/1/15 0:11,3,D,Direct,Chrome,M,39,2')).rejects.toThrow(/line 3: class must be 0 or 1/);
    await expect(bad('11,1/1/15 0:11,1/1/15 0:11,3,D,Direct,Chrome,M,39,0')).rejects.toThrow(/user 11 appears twice/);
  });

  it('spreads purchases that share a minute a second apart, in the rows order, keeping every other field', () => {
    const row = (userId: number, purchaseAt: string) => ({ userId, signupAt: '2015-01-01T00:00:00Z', purchaseAt, purchaseValue: 10, deviceId: 'D', fraud: true });
    const spread = spreadWithinMinutes([row(1, '2015-01-01T00:05:00Z'), row(2, '2015-01-01T00:05:00Z'), row(3, '2015-01-01T00:06:00Z'), row(4, '2015-01-01T00:05:00Z')]);
    expect(spread.map((r) => [r.userId, r.purchaseAt])).toEqual([
      [1, '2015-01-01T00:05:00Z'],
      [2, '2015-01-01T00:05:01Z'],
      [3, '2015-01-01T00:06:00Z'],
      [4, '2015-01-01T00:05:02Z'],
    ]);
    // Point-in-time, the third user of the device now sees the two before it, as a live shop would.
    const h = fraudDevHistory(spread);
    expect(new Set(h.events.filter((e) => e.type === 'order').map((e) => (e as { order: { createdAt: string } }).order.createdAt)).size).toBe(4);
  });

  it('reads the data times strictly, as UTC', () => {
    expect(dataTime('8/20/15 4:19')).toBe('2015-08-20T04:19:00Z');
    expect(dataTime('12/31/15 23:59')).toBe('2015-12-31T23:59:00Z');
    expect(dataTime('2/29/15 1:00')).toBeUndefined();
    expect(dataTime('1/1/15 24:00')).toBeUndefined();
    expect(dataTime('2015-01-01 00:00')).toBeUndefined();
  });
});

describe(existsSync(REAL) ? 'fraudDevHistory on the real file' : 'fraudDevHistory on the real file (SKIPPED: ../shared/data/ecommerce_fraud_dev.csv.gz not found)', () => {
  it.skipIf(!existsSync(REAL))('21,499 customers and orders, 1,965 chargebacks, one device hash per device id', async () => {
    const h = await readFraudDevHistory(REAL);
    expect(h.stats).toMatchObject({ rows: 21_499, customers: 21_499, orders: 21_499, chargebacks: 1_965, frauds: 1_965, devices: 20_800, sharedDevices: 467, usersOnSharedDevices: 1_166 });
    expect(of(h, 'customer')).toHaveLength(21_499);
    expect(of(h, 'order')).toHaveLength(21_499);
    expect(of(h, 'chargeback')).toHaveLength(1_965);
    expect(h.events).toHaveLength(21_499 * 2 + 1_965);
    const users = new Map<string, number>();
    for (const { order } of of(h, 'order')) users.set(order.identity.device!, (users.get(order.identity.device!) ?? 0) + 1);
    expect(users.size).toBe(20_800);
    expect([...users.values()].filter((n) => n > 1).reduce((a, b) => a + b, 0)).toBe(1_166);
    const fraudOrders = new Set(h.labels.filter((l) => l.fraud).map((l) => l.orderId));
    expect(of(h, 'chargeback').every((e) => fraudOrders.has(e.chargeback.orderId))).toBe(true);
  });
});
