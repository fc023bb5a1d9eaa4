import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UCI_COLUMNS } from '../scenarios/uciHistory.ts';
import { createStores, type Stores } from '../server/store/index.ts';
import { createTestDatabase, type TestDatabase } from '../server/testing/testDatabase.ts';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/refundsentry.js');

/**
 * A slice of the UCI Online Retail CSV, in its format (header, quoting, `YYYY-MM-DD HH:MM:SS`
 * dates, `C` cancellation invoices): two customers and a guest, four invoices, a cancellation of
 * part of an earlier purchase (a return and its refund), a guest cancellation and a free line
 * (both left out).
 */
const CSV = [
  UCI_COLUMNS.map((c) => `"${c}"`).join(','),
  '536365,85123A,"WHITE HANGING HEART T-LIGHT HOLDER",6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
  '536365,71053,"WHITE METAL LANTERN",6,2010-12-01 08:26:00,3.39,17850,United Kingdom',
  '536365,POST,"POSTAGE",1,2010-12-01 08:26:00,0,17850,United Kingdom',
  '536367,22633,"SET 7 BABUSHKA NESTING BOXES, LARGE",2,2010-12-01 10:03:00,1.85,12583,France',
  '536366,84406B,"CREAM CUPID HEARTS COAT HANGER",8,2010-12-02 09:00:00,2.75,17850,United Kingdom',
  '536368,21730,"GLASS STAR FROSTED T-LIGHT HOLDER",1,2010-12-03 11:00:00,4.25,,United Kingdom',
  'C536369,85123A,"WHITE HANGING HEART T-LIGHT HOLDER",-2,2010-12-04 12:00:00,2.55,17850,United Kingdom',
  'C536370,21730,"GLASS STAR FROSTED T-LIGHT HOLDER",-1,2010-12-04 13:00:00,4.25,,United Kingdom',
].join('\n');

let db: TestDatabase;
let stores: Stores;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-import-uci-'));
  await writeFile(join(dir, 'uci.csv.gz'), gzipSync(CSV + '\n'));
});

afterAll(async () => {
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `npx refundsentry import-uci …` as a process of its own (the pinned Node), against the test database. */
function importUci(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, 'import-uci', ...args], { env: { ...process.env, DATABASE_URL: db.url, DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'warn' }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const count = async (table: string, where: Record<string, unknown>) => Number((await db.knex(table).where(where).count('* as n').first())!.n);
const num = (text: string) => Number(text.replaceAll(',', ''));

describe('refundsentry import-uci', () => {
  it('converts the CSV, backfills the shop stage by stage, and prints counts that match what is stored', async () => {
    const shop = 'uci-slice.myshopify.com';
    const out = join(dir, 'uci-slice.jsonl');
    const { code, stdout, stderr } = await importUci(join(dir, 'uci.csv.gz'), '--shop', shop, '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('UCI → history JSONL: 4 orders, 1 returns, 1 refunds, 2 customers (8 records)');
    expect(stdout).toContain('1 cancellations left out');
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(8);

    // A done line per stage, in order, each with its records, pages and duration.
    const doneLines = [...stdout.matchAll(/^ {2}(\w+) +done +([\d,]+) records +(\d+) pages +in (\d+\.\d) s/gm)];
    expect(doneLines.map((m) => m[1])).toEqual(['orders', 'fulfillments', 'returns', 'refunds', 'chargebacks', 'aging', 'baseline', 'scoring']);
    const stages = await stores.backfills.stages(shop);
    expect(stages.every((s) => s.status === 'done')).toBe(true);
    for (const [, stage, records, pages] of doneLines) {
      const row = stages.find((s) => s.stage === stage)!;
      expect({ stage, records: num(records!), pages: Number(pages) }).toEqual({ stage, records: row.processed, pages: row.pages });
    }

    // The summary's counts are the stored ones.
    const summary = /^backfill done in (\d+\.\d) s: ([\d,]+) records stored, ([\d,]+) decisions \(([\d,]+) events\/s/m.exec(stdout);
    expect(summary).not.toBeNull();
    expect(num(summary![2]!)).toBe(await count('events', { shop_id: shop }));
    expect(num(summary![2]!)).toBe(8);
    expect(num(summary![3]!)).toBe(await count('decisions', { shop_id: shop }));
    expect(num(summary![3]!)).toBe(6); // 4 orders, the return and its refund
    const perStage = /^ {2}records per stage: (.*)$/m.exec(stdout)![1]!;
    expect(perStage).toBe(stages.map((s) => `${s.stage} ${s.processed.toLocaleString('en-US')}`).join(', '));

    // What the conversion made of it: the cancellation is a return of the order it cancels.
    const ret = await db.knex('events').where({ shop_id: shop, kind: 'return' }).first('order_id', 'customer_id', 'body');
    expect(ret).toMatchObject({ order_id: 'gid://shopify/Order/536365', customer_id: 'gid://shopify/Customer/17850' });
    expect(ret.body.lineItems).toEqual([{ lineItemId: 'gid://shopify/LineItem/536365000', sku: '85123A', quantity: 2, unitPrice: 2.55 }]);

    // Run again: the shop already has its backfill.
    const again = await importUci(join(dir, 'uci.csv.gz'), '--shop', shop, '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${shop} already has a finished backfill (6 decisions)`);
  });

  it('exits 2 naming a missing file, before touching the database', async () => {
    const missing = join(dir, 'nowhere.csv.gz');
    const { code, stdout, stderr } = await importUci(missing, '--shop', 'uci-missing.myshopify.com');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`refundsentry: UCI CSV file not found: ${missing}\n`);
    expect(await stores.shops.get('uci-missing.myshopify.com')).toBeUndefined();
  });

  it('exits 2 on a file that is not the gzip UCI CSV, and on bad options', async () => {
    const plain = join(dir, 'plain.csv.gz');
    await writeFile(plain, CSV);
    expect(await importUci(plain, '--shop', 'uci-plain.myshopify.com')).toMatchObject({ code: 2, stderr: expect.stringContaining(`cannot read ${plain} as the gzip UCI Online Retail CSV: incorrect header check`) });
    const wrong = join(dir, 'wrong.csv.gz');
    await writeFile(wrong, gzipSync('order,amount\n1,2\n'));
    expect(await importUci(wrong, '--shop', 'uci-wrong.myshopify.com')).toMatchObject({ code: 2, stderr: expect.stringContaining('the header lacks InvoiceNo') });
    expect(await stores.shops.get('uci-wrong.myshopify.com')).toBeUndefined();
    expect(await importUci(join(dir, 'uci.csv.gz'), '--days', '0')).toMatchObject({ code: 2, stderr: expect.stringContaining('--days "0" must be a whole number') });
  });

  it('exits 1 with the stage and its error when a stage fails (a resumed backfill whose history file is gone)', async () => {
    const shop = 'uci-broken.myshopify.com';
    const gone = join(dir, 'gone.jsonl');
    await stores.shops.install(shop, null, null);
    await stores.backfills.create(shop, { kind: 'file', path: gone }, { from: '2010-12-01T00:00:00.000Z', to: '2011-01-01T00:00:00.000Z' }, 120);
    const { code, stdout, stderr } = await importUci(join(dir, 'uci.csv.gz'), '--shop', shop);
    expect(code).toBe(1);
    expect(stdout).toContain(`resuming the running backfill of ${shop} from its checkpoints`);
    expect(stdout).toMatch(/^ {2}orders +failed +0 records +after 1 attempt\(s\): history file not found/m);
    expect(stderr).toContain(`refundsentry: the backfill of ${shop} failed at stage orders: history file not found: ${gone}; run the same command again to retry it from its checkpoint`);
  });
});
