import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LosslessNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import pg from 'pg';
import { readUciHistory } from '../scenarios/uciHistory.ts';
import { signedWebhookHeaders } from '../server/testing/signedWebhookHeaders.ts';
import { RawHttpClient } from './RawHttpClient.ts';

/**
 * Webhook → decision under a sustained load: starts the real server (`node server/main.ts`,
 * embedded PostgreSQL, pg-boss workers) in its own process, posts signed orders/create webhooks
 * at a fixed rate over loopback, and measures, per event, the time from sending the webhook to
 * the decision's commit (the decision row's created_at; one clock, one machine).
 *
 *   npm run bench:webhooks -- [rate per second] [seconds] [--statements] [--customers=N] [--warmup=S] [--transactions[=MS]]
 *
 * `--customers=N`: the orders come from N customers in rotation (default 500: in a 10 s run at
 * 500/s each customer places 10 orders, so every context reads a growing history; with more
 * customers the histories are shorter, as in most real shops).
 * `--warmup=S`: first S seconds of the same load (other orders, the same customers), then a pause
 * until they are all decided; the figures cover only what follows (a server past its cold start:
 * code compiled by V8, table statistics gathered). Without it the figures include the cold start.
 * `--uci[=path]`: the orders follow a real shop's instead: the purchase invoices of the UCI Online
 * Retail data set in time order (`../shared/data/uci_online_retail.csv.gz` by default; 22,064
 * invoices of 4,339 customers and 3,528 guests: half the customers order twice or less, 1 % 30
 * times or more, one 210 times), each sent as Shopify's sample order from that invoice's customer
 * (or as a guest order) with the customer's own email, phone and addresses. So every context
 * reads the history a real customer had by then (8.6 earlier orders on average per order), and no
 * identifier is shared by every customer as in the rotation.
 * BENCH_KEEP_DATA=1 keeps the data folder (the database as the run left it, for EXPLAIN and the like).
 * `--statements`: the embedded PostgreSQL runs with pg_stat_statements, and the statements that
 * took the most time during the run are printed (calls, total and mean time, rows).
 * `--transactions[=MS]`: each order's orders/create is followed by an order_transactions/create
 * for that order (Shopify's sample transaction as a sale, its card fields unchanged: no BIN or
 * expiry, so no card fingerprint, and no AVS/CVV result, except AVS and CVV failing (`N`) for 1
 * order in 10), MS milliseconds later (default 1000; 0: in the next slot), on the same schedule
 * and connections: the rate counts both webhooks, so orders come at half of it. The orders are the sample's, but open (the sample is a cancelled order, and a cancelled order
 * is never revised), so the live path revises the decided ones (issue 23). The figures add how many
 * of the run's orders were revised (decisions.revision > 0), by trigger, and the time from a
 * transaction's send to the revision it triggered, where there was one (its `revised_at`, or the
 * `created_at` of that revision in decision_revisions if a later one superseded it). The run ends
 * once the scoring queues are idle.
 */
const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const STATEMENTS = process.argv.includes('--statements');
const UCI_ARG = process.argv.find((arg) => arg === '--uci' || arg.startsWith('--uci='));
const CUSTOMERS = wholeNumber('--customers=N (customers)', process.argv.find((arg) => arg.startsWith('--customers='))?.slice('--customers='.length), 500, 1);
const WARMUP = wholeNumber('--warmup=S (seconds)', process.argv.find((arg) => arg.startsWith('--warmup='))?.slice('--warmup='.length), 0, 0);
const TRANSACTIONS_ARG = process.argv.find((arg) => arg === '--transactions' || arg.startsWith('--transactions='));
/** With `--transactions`: how long after its order each transaction is sent (ms); undefined without. */
const TRANSACTION_LAG = TRANSACTIONS_ARG === undefined ? undefined : wholeNumber('--transactions=MS (the delay after its order)', TRANSACTIONS_ARG === '--transactions' ? undefined : TRANSACTIONS_ARG.slice('--transactions='.length), 1000, 0);
const RATE = wholeNumber('the rate (webhooks per second)', args[0], 500, 1);
const SECONDS = wholeNumber('the duration (seconds)', args[1], 10, 1);
const PORT = 3931;
const PG_PORT = 54931;
const SECRET = 'refundsentry-demo-secret';
const root = new URL('..', import.meta.url).pathname;
/** Keep-alive connections, as Shopify's delivery fleet holds them (one request at a time on each). */
const CONNECTIONS = 64;
if (UCI_ARG && process.argv.some((arg) => arg.startsWith('--customers='))) throw new Error('--uci and --customers=N both choose who orders: give one of them');
if (TRANSACTION_LAG !== undefined && RATE < 2) throw new Error('--transactions sends two webhooks per order: the rate needs to be at least 2');
// Read before anything starts: a missing or malformed file is refused with its path.
const buyers = UCI_ARG ? await uciBuyers(UCI_ARG === '--uci' ? join(root, '../shared/data/uci_online_retail.csv.gz') : UCI_ARG.slice('--uci='.length)) : undefined;

const dataDir = await mkdtemp(join(tmpdir(), 'refundsentry-bench-'));
await chmod(dataDir, 0o755);
const server = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), join(root, 'server/main.ts')], {
  // Always the embedded PostgreSQL (the bench reads it on PG_PORT), whatever DATABASE_URL this shell has.
  env: { ...process.env, DATABASE_URL: undefined, PORT: String(PORT), EMBEDDED_PG_PORT: String(PG_PORT), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DEMO_HISTORY: 'none', ...(STATEMENTS ? { EMBEDDED_PG_STATEMENT_STATS: '1' } : {}) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const serverExited = new Promise((resolve) => server.once('exit', resolve));
const stop = async () => {
  server.kill('SIGTERM');
  await serverExited;
  if (process.env.BENCH_KEEP_DATA) console.log(`data kept in ${dataDir} (its PostgreSQL: the postgres folder there, port ${PG_PORT})`);
  else await rm(dataDir, { recursive: true, force: true });
};

try {
  await waitForHealth();
  const pgUrl = `postgres://postgres:postgres@127.0.0.1:${PG_PORT}/refundsentry`;
  const orderSample = await readFile(join(root, 'server/shopify/fixtures/webhooks/orders_create.json'), 'utf8');
  // With transactions the orders are open: a cancelled order (the sample) is never revised.
  const sample = TRANSACTION_LAG === undefined ? orderSample : openOrder(orderSample);
  const transactionSample = TRANSACTION_LAG === undefined ? '' : await readFile(join(root, 'server/shopify/fixtures/webhooks/order_transactions_create.json'), 'utf8');
  const guest = buyers ? guestSample(sample) : '';
  const variant = (i: number) => (buyers ? uciVariant(sample, guest, i, buyers[i % buyers.length]!) : rotationVariant(sample, i));
  // Webhooks per run; with transactions, half of them orders.
  const perOrder = TRANSACTION_LAG === undefined ? 1 : 2;
  const total = Math.floor((RATE * SECONDS) / perOrder);
  const warmupTotal = Math.floor((RATE * WARMUP) / perOrder);
  // Bodies and signatures are prepared before the clock starts: the load generator shares the
  // machine's 2 cores with the server and PostgreSQL, so its own work per request is kept small.
  // The warm-up's orders come after the measured ones' (their ids never meet).
  const schedule = (first: number, count: number) => withTransactions(Array.from({ length: count }, (_, i) => variant(first + i)), first, transactionSample);
  const bodies = schedule(0, total);
  const warmupBodies = schedule(total, warmupTotal);
  const client = new RawHttpClient(PORT, CONNECTIONS);
  const db = new pg.Client({ connectionString: pgUrl });
  await db.connect();
  if (warmupTotal > 0) {
    await sendAtRate(client, warmupBodies);
    await decisionsFor(db, new Set(warmupBodies.filter((b) => b.kind === 'order').map((b) => b.id)));
    // The warm-up's revisions are made before the measured run starts.
    if (TRANSACTION_LAG !== undefined) await scoringIdle(db);
  }
  if (STATEMENTS) {
    await db.query('create extension if not exists pg_stat_statements');
    await db.query('select pg_stat_statements_reset()');
  }
  const cpuAtStart = await cpuSeconds(server.pid!);
  const walAtStart = await walStats(db);
  const { started, sentAt, ackMs, failures } = await sendAtRate(client, bodies);
  client.close();
  const sendSeconds = (Date.now() - started) / 1000;
  const orderIds = new Set(bodies.filter((b) => b.kind === 'order').map((b) => b.id));
  const rows = await decisionsFor(db, orderIds);
  // With transactions, the revisions they ask for come after the decisions: the run ends when scoring is idle.
  const idleAt = TRANSACTION_LAG === undefined ? undefined : await scoringIdle(db);
  const cpu = await cpuSeconds(server.pid!);
  const wal = await walStats(db);
  const revised = TRANSACTION_LAG === undefined ? undefined : await revisionsOf(db, [...orderIds]);
  const statements = STATEMENTS
    ? (await db.query(
        `select calls, total_exec_time as total, total_exec_time / calls as mean, total_plan_time as plan, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) as query
           from pg_stat_statements where query not like '%pg_stat_statements%' order by total_exec_time desc limit 10`,
      )).rows
    : [];
  await db.end();
  const latencies = rows.map((r) => r.created - sentAt.get(r.subject_id)!).sort((a, b) => a - b);
  const lastDecision = Math.max(...rows.map((r) => r.created));
  const pct = (values: number[], p: number) => values[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)];
  const acks = ackMs.order.sort((a, b) => a - b);
  const from = buyers ? `the UCI Online Retail invoices (${new Set(bodies.map((b) => b.buyer)).size} buyers)` : `${CUSTOMERS} customers`;
  const what = TRANSACTION_LAG === undefined ? `${total} orders/create webhooks` : `${total} orders/create webhooks, each followed ${TRANSACTION_LAG} ms later by its order_transactions/create (AVS/CVV failing for 1 in 10),`;
  console.log(`webhook → decision bench: ${what} from ${from} at ${RATE}/s for ${SECONDS} s (sent in ${sendSeconds.toFixed(1)} s)${WARMUP ? ` after a ${WARMUP} s warm-up` : ''}, node ${process.version}`);
  console.log(`  decisions stored          ${rows.length} of ${total}${failures ? `, ${failures} webhook(s) not acknowledged with 200` : ''}`);
  console.log(`  throughput                ${(rows.length / ((lastDecision - started) / 1000)).toFixed(0)} decisions/s (first send to last decision)`);
  console.log(`  webhook → decision        p50 ${pct(latencies, 0.5).toFixed(0)} ms   p95 ${pct(latencies, 0.95).toFixed(0)} ms   p99 ${pct(latencies, 0.99).toFixed(0)} ms   max ${latencies.at(-1)!.toFixed(0)} ms`);
  console.log(`  webhook acknowledged (200) p50 ${pct(acks, 0.5)} ms   p95 ${pct(acks, 0.95)} ms   p99 ${pct(acks, 0.99)} ms${TRANSACTION_LAG === undefined ? '' : '   (orders/create)'}`);
  if (revised && idleAt !== undefined) {
    const transactionAcks = ackMs.transaction.sort((a, b) => a - b);
    console.log(`  webhook acknowledged (200) p50 ${pct(transactionAcks, 0.5)} ms   p95 ${pct(transactionAcks, 0.95)} ms   p99 ${pct(transactionAcks, 0.99)} ms   (order_transactions/create)`);
    const byKind = [...revised.byKind].map(([kind, n]) => `${n} ${kind}`).join(', ');
    console.log(`  orders revised            ${revised.revisedOrders} of ${total} (decisions.revision > 0); ${[...revised.byKind.values()].reduce((a, b) => a + b, 0)} revisions in all${byKind ? ` by trigger: ${byKind}` : ''}; scoring idle ${((idleAt - started) / 1000).toFixed(1)} s after the first send`);
    const revisionMs = revised.byTransaction.flatMap((r) => (sentAt.has(r.fact) ? [r.at - sentAt.get(r.fact)!] : [])).sort((a, b) => a - b);
    if (revisionMs.length > 0) {
      console.log(`  transaction → revision    p50 ${pct(revisionMs, 0.5).toFixed(0)} ms   p95 ${pct(revisionMs, 0.95).toFixed(0)} ms   p99 ${pct(revisionMs, 0.99).toFixed(0)} ms   max ${revisionMs.at(-1)!.toFixed(0)} ms   (${revisionMs.length} transactions that revised their order)`);
    } else console.log('  transaction → revision    no transaction revised its order');
  }
  const event = TRANSACTION_LAG === undefined ? 'event' : 'order';
  if (cpu && cpuAtStart) {
    const perEvent = (key: keyof typeof cpu) => (((cpu[key] - cpuAtStart[key]) * 1000) / total).toFixed(2);
    console.log(`  CPU per ${event}             server ${perEvent('server')} ms   PostgreSQL ${perEvent('postgres')} ms   load generator ${perEvent('generator')} ms   (2 cores: ${(2000 / Number(perEvent('total'))).toFixed(0)} ${event}s/s if all were busy${TRANSACTION_LAG === undefined ? '' : '; an order is its 2 webhooks'})`);
  }
  console.log(`  WAL per ${event}             ${((wal.bytes - walAtStart.bytes) / total / 1024).toFixed(1)} KB   (${((wal.fpi - walAtStart.fpi) / total).toFixed(2)} full-page images per ${event}, ${wal.checkpoints - walAtStart.checkpoints} checkpoint(s) during the run)`);
  if (statements.length > 0) {
    console.log('  PostgreSQL statements by total time (ms per event = total / events):');
    for (const row of statements) {
      console.log(`    ${(Number(row.total) / total).toFixed(3).padStart(7)} ms/event  ${String(row.calls).padStart(6)} calls  ${Number(row.mean).toFixed(2).padStart(8)} ms mean  ${(Number(row.plan) / row.calls).toFixed(2).padStart(6)} ms planning  ${String(row.rows).padStart(7)} rows  ${row.query}`);
    }
  }
} finally {
  await stop();
}

/** A whole-number argument of at least `min` (`fallback` when absent), or an error that names it. */
function wholeNumber(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`${name} needs a whole number, at least ${min}: got "${text}"`);
  return Number(text);
}

/**
 * Posts the prepared webhooks on a fixed schedule (event i at start + its `at`, by default
 * i / RATE seconds, whatever the answers do) and resolves once every one is answered.
 */
async function sendAtRate(client: RawHttpClient, prepared: Prepared[]) {
  const sentAt = new Map<string, number>();
  const ackMs = { order: [] as number[], transaction: [] as number[] };
  let failures = 0;
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const { request, id, kind, at } = prepared[i]!;
    const due = started + (at ?? (i * 1000) / RATE);
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const t0 = Date.now();
    sentAt.set(id, t0);
    inFlight.push(
      client.post(request).then(
        (status) => {
          ackMs[kind].push(Date.now() - t0);
          if (status !== 200) failures++;
        },
        () => {
          failures++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { started, sentAt, ackMs, failures };
}

/** PostgreSQL's write-ahead log so far: bytes, full-page images, checkpoints started (PostgreSQL 17+ views). */
async function walStats(db: pg.Client): Promise<{ bytes: number; fpi: number; checkpoints: number }> {
  const { rows } = await db.query(
    `select wal_bytes::float8 as bytes, wal_fpi::float8 as fpi, (select (num_timed + num_requested)::float8 from pg_stat_checkpointer) as checkpoints from pg_stat_wal`,
  );
  return rows[0];
}

/** The decisions of these orders with their commit times, once all are stored (or after 2 minutes, those stored). */
async function decisionsFor(db: pg.Client, orderIds: Set<string>): Promise<{ subject_id: string; created: number }[]> {
  const deadline = Date.now() + 120_000;
  let rows: { subject_id: string; created: number }[] = [];
  while (Date.now() < deadline) {
    const result = await db.query(`select subject_id, extract(epoch from created_at) * 1000 as created from decisions where subject_id = any($1)`, [[...orderIds]]);
    rows = result.rows.map((r) => ({ subject_id: r.subject_id, created: Number(r.created) }));
    if (rows.length >= orderIds.size) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return rows;
}

/**
 * Waits until no scoring job is queued, retrying or running (pg-boss's own table) twice in a row
 * a quarter of a second apart (a job may send others), at most 2 minutes; when that was first seen.
 */
async function scoringIdle(db: pg.Client): Promise<number> {
  const deadline = Date.now() + 120_000;
  let idleSince: number | undefined;
  while (Date.now() < deadline) {
    const { rows } = await db.query(
      `select count(*)::int as n from pgboss.job where name in ('refundsentry-score', 'refundsentry-score-batch') and state in ('created', 'retry', 'active')`,
    );
    if (rows[0].n > 0) idleSince = undefined;
    else if (idleSince === undefined) idleSince = Date.now();
    else return idleSince;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return idleSince ?? Date.now();
}

/**
 * The revisions of these orders' decisions: how many orders were revised (their decision's
 * revision > 0), every revision made (current and superseded) by its trigger's kind, and each
 * revision a transaction triggered with the time it was made (the decision's `revised_at` while it
 * is the current one, else the `created_at` of that revision in decision_revisions).
 */
async function revisionsOf(db: pg.Client, orderIds: string[]): Promise<{ revisedOrders: number; byKind: Map<string, number>; byTransaction: { fact: string; at: number }[] }> {
  const { rows } = await db.query(
    `select d.subject_id as subject, d.trigger->>'kind' as kind, d.trigger->>'factId' as fact, extract(epoch from d.revised_at) * 1000 as at
       from decisions d where d.subject_id = any($1) and d.revision > 0
     union all
     select d.subject_id, r.trigger->>'kind', r.trigger->>'factId', extract(epoch from r.created_at) * 1000
       from decision_revisions r join decisions d on d.id = r.decision_id where d.subject_id = any($1) and r.revision > 0`,
    [orderIds],
  );
  const byKind = new Map<string, number>();
  for (const row of rows) byKind.set(row.kind ?? '?', (byKind.get(row.kind ?? '?') ?? 0) + 1);
  const byTransaction = rows.filter((r) => r.kind === 'transaction').map((r) => ({ fact: String(r.fact), at: Number(r.at) }));
  return { revisedOrders: new Set(rows.map((r) => r.subject)).size, byKind, byTransaction };
}

/**
 * The schedule of these orders: alone (each at its slot, i / RATE seconds), or with
 * `--transactions` each followed by its order_transactions/create TRANSACTION_LAG ms after the
 * slot that follows it (order k at 2k / RATE s, its transaction at (2k + 1) / RATE s + the lag),
 * in the order they are due. `first` numbers the orders (1 in 10 with AVS/CVV failing).
 */
function withTransactions(orders: Prepared[], first: number, transactionSample: string): Prepared[] {
  if (TRANSACTION_LAG === undefined) return orders;
  const slot = 1000 / RATE;
  const out = orders.flatMap((order, k) => {
    const at = 2 * k * slot;
    return [
      { ...order, at },
      signedTransaction(transactionSample, order, first + k, (first + k) % 10 === 9, at + slot + TRANSACTION_LAG, slot + TRANSACTION_LAG),
    ];
  });
  return out.sort((a, b) => a.at! - b.at!);
}

/**
 * Shopify's order_transactions/create sample for an order, as server/services/revisions.test.ts
 * builds one: a successful sale through shopify_payments, a fresh id, the order's id, made
 * `after` ms after the order (by the order's created_at) and sent `at` ms into the run, the
 * sample's card fields unchanged (brand and last four: no card fingerprint, so no ring links
 * through it), AVS and CVV `N` when `failing`; signed.
 */
function signedTransaction(sampleText: string, order: Prepared, n: number, failing: boolean, at: number, after: number): Prepared {
  const t = parseLossless(sampleText) as Record<string, any>;
  const id = String(130000000000000000n + BigInt(n));
  const orderNumber = order.id.slice('gid://shopify/Order/'.length);
  const createdAt = new Date(Date.parse(order.createdAt!) + Math.max(1, Math.round(after))).toISOString();
  Object.assign(t, { id: new LosslessNumber(id), admin_graphql_api_id: `gid://shopify/OrderTransaction/${id}`, order_id: new LosslessNumber(orderNumber), created_at: createdAt, kind: 'sale', gateway: 'shopify_payments', status: 'success' });
  if (failing) Object.assign(t.payment_details, { avs_result_code: 'N', cvv_result_code: 'N' });
  const body = Buffer.from(stringifyLossless(t)!, 'utf8');
  return { request: signedRequest(body, 'order_transactions/create'), id: t.admin_graphql_api_id, kind: 'transaction', buyer: order.buyer, at };
}

/** Shopify's sample order, open: not cancelled (its `cancel_reason` and `cancelled_at` null), as a live order to decide is. */
function openOrder(sample: string): string {
  return sample.replace('"cancel_reason": "customer"', '"cancel_reason": null').replace(/"cancelled_at": "[^"]*"/, '"cancelled_at": null');
}

/** Shopify's sample order with a fresh id (order, line items) per event, from the i-th of CUSTOMERS customers in rotation, signed. */
function rotationVariant(sample: string, i: number): Prepared {
  const orderNumber = 900000000000000000n + BigInt(i);
  const customerNumber = 700000000000000000n + BigInt(i % CUSTOMERS);
  const text = sample.replaceAll('115310627314723954', String(customerNumber));
  return signedOrder(text, orderNumber, String(customerNumber));
}

/** The buyer of each UCI purchase invoice, in time order: the customer's number, or null for a guest. */
async function uciBuyers(path: string): Promise<(string | null)[]> {
  const { events } = await readUciHistory(path).catch((error: unknown) => {
    throw new Error(`--uci: cannot read the UCI Online Retail CSV at ${path}: ${error instanceof Error ? error.message : String(error)}`);
  });
  return events.flatMap((event) => (event.type === 'order' ? [event.order.customerId?.slice('gid://shopify/Customer/'.length) ?? null] : []));
}

/**
 * Shopify's sample order from a UCI invoice's buyer: the customer's own id, email, phones and
 * street lines (a guest's own per order, and no customer object), signed.
 */
function uciVariant(sample: string, guest: string, i: number, customer: string | null): Prepared {
  const key = customer ?? `guest-${i}`;
  const template = customer ? sample : guest;
  const text = template
    .replaceAll('115310627314723954', customer ?? '0')
    .replaceAll('jon@example.com', `${key}@example.com`)
    .replaceAll('john@example.com', `${key}@example.com`)
    .replaceAll('123 Shipping Street', `${key} Shipping Street`)
    .replaceAll('123 Elm St.', `${key} Elm St.`)
    .replaceAll('555-555-SHIP', `555-${key}`)
    .replaceAll('123-123-1234', `123-${key}`);
  return signedOrder(text, 900000000000000000n + BigInt(i), key);
}

/** The sample order as a guest's: no customer object (parsed and written losslessly: its ids exceed 2^53). */
function guestSample(sample: string): string {
  const order = parseLossless(sample) as Record<string, unknown>;
  order.customer = null;
  return stringifyLossless(order, null, 2)!;
}

interface Prepared {
  request: Buffer;
  /** The order's id (`gid://shopify/Order/…`), or the transaction's. */
  id: string;
  kind: 'order' | 'transaction';
  /** Who placed it (a customer's number, or a guest's key). */
  buyer: string;
  /** When it is due, in ms after the run's first send (by default its index / RATE seconds). */
  at?: number;
  /** An order's created_at. */
  createdAt?: string;
}

/** An order webhook's request from the sample's text: the order's own id and the time now, signed. */
function signedOrder(sampleText: string, orderNumber: bigint, buyer: string): Prepared {
  const createdAt = new Date().toISOString();
  const text = sampleText
    .replaceAll('820982911946154508', String(orderNumber))
    .replace(/"created_at": "[^"]+"/, `"created_at": "${createdAt}"`);
  return { request: signedRequest(Buffer.from(text, 'utf8'), 'orders/create'), id: `gid://shopify/Order/${orderNumber}`, kind: 'order', buyer, createdAt };
}

/** A webhook's request bytes: the body with Shopify's headers for the topic, signed. */
function signedRequest(body: Buffer, topic: string): Buffer {
  const headers = {
    host: `127.0.0.1:${PORT}`,
    'content-length': body.length,
    ...signedWebhookHeaders(body, { secret: SECRET, topic, shop: 'demo.myshopify.com' }),
  };
  const head = `POST /webhooks HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/**
 * CPU seconds used so far by the server process (all its threads), by its PostgreSQL (the
 * processes descended from it: the embedded server and its backends) and by this load
 * generator; from /proc (Linux), undefined elsewhere. Processes that exit in between drop out.
 */
async function cpuSeconds(serverPid: number): Promise<{ server: number; postgres: number; generator: number; total: number } | undefined> {
  const ticks = 100; // USER_HZ on Linux
  let entries: string[];
  try {
    entries = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  const processes = new Map<number, { ppid: number; cpu: number }>();
  for (const pid of entries) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length > 13) processes.set(Number(pid), { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / ticks });
  }
  const descends = (pid: number): boolean => {
    for (let p = processes.get(pid)?.ppid; p && p > 1; p = processes.get(p)?.ppid) if (p === serverPid) return true;
    return false;
  };
  const server = processes.get(serverPid)?.cpu ?? 0;
  let postgres = 0;
  for (const [pid, info] of processes) if (descends(pid)) postgres += info.cpu;
  const usage = process.cpuUsage();
  const generator = (usage.user + usage.system) / 1e6;
  return { server, postgres, generator, total: server + postgres + generator };
}

async function waitForHealth(): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the server did not start within 60 s');
}
