import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
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
 *   npm run bench:webhooks -- [rate per second] [seconds] [--statements] [--customers=N] [--warmup=S]
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
 */
const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const STATEMENTS = process.argv.includes('--statements');
const UCI_ARG = process.argv.find((arg) => arg === '--uci' || arg.startsWith('--uci='));
const CUSTOMERS = wholeNumber('--customers=N (customers)', process.argv.find((arg) => arg.startsWith('--customers='))?.slice('--customers='.length), 500, 1);
const WARMUP = wholeNumber('--warmup=S (seconds)', process.argv.find((arg) => arg.startsWith('--warmup='))?.slice('--warmup='.length), 0, 0);
const RATE = wholeNumber('the rate (webhooks per second)', args[0], 500, 1);
const SECONDS = wholeNumber('the duration (seconds)', args[1], 10, 1);
const PORT = 3931;
const PG_PORT = 54931;
const SECRET = 'refundsentry-demo-secret';
const root = new URL('..', import.meta.url).pathname;
/** Keep-alive connections, as Shopify's delivery fleet holds them (one request at a time on each). */
const CONNECTIONS = 64;
if (UCI_ARG && process.argv.some((arg) => arg.startsWith('--customers='))) throw new Error('--uci and --customers=N both choose who orders: give one of them');
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
  const sample = await readFile(join(root, 'server/shopify/fixtures/webhooks/orders_create.json'), 'utf8');
  const guest = buyers ? guestSample(sample) : '';
  const variant = (i: number) => (buyers ? uciVariant(sample, guest, i, buyers[i % buyers.length]!) : rotationVariant(sample, i));
  const total = RATE * SECONDS;
  const warmupTotal = RATE * WARMUP;
  // Bodies and signatures are prepared before the clock starts: the load generator shares the
  // machine's 2 cores with the server and PostgreSQL, so its own work per request is kept small.
  // The warm-up's orders come after the measured ones' (their ids never meet).
  const bodies = Array.from({ length: total }, (_, i) => variant(i));
  const warmupBodies = Array.from({ length: warmupTotal }, (_, i) => variant(total + i));
  const client = new RawHttpClient(PORT, CONNECTIONS);
  const db = new pg.Client({ connectionString: pgUrl });
  await db.connect();
  if (warmupTotal > 0) {
    await sendAtRate(client, warmupBodies);
    await decisionsFor(db, new Set(warmupBodies.map((b) => b.orderId)));
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
  const rows = await decisionsFor(db, new Set(sentAt.keys()));
  const cpu = await cpuSeconds(server.pid!);
  const wal = await walStats(db);
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
  const acks = ackMs.sort((a, b) => a - b);
  const from = buyers ? `the UCI Online Retail invoices (${new Set(bodies.map((b) => b.buyer)).size} buyers)` : `${CUSTOMERS} customers`;
  console.log(`webhook → decision bench: ${total} orders/create webhooks from ${from} at ${RATE}/s for ${SECONDS} s (sent in ${sendSeconds.toFixed(1)} s)${WARMUP ? ` after a ${WARMUP} s warm-up` : ''}, node ${process.version}`);
  console.log(`  decisions stored          ${rows.length} of ${total}${failures ? `, ${failures} webhook(s) not acknowledged with 200` : ''}`);
  console.log(`  throughput                ${(rows.length / ((lastDecision - started) / 1000)).toFixed(0)} decisions/s (first send to last decision)`);
  console.log(`  webhook → decision        p50 ${pct(latencies, 0.5).toFixed(0)} ms   p95 ${pct(latencies, 0.95).toFixed(0)} ms   p99 ${pct(latencies, 0.99).toFixed(0)} ms   max ${latencies.at(-1)!.toFixed(0)} ms`);
  console.log(`  webhook acknowledged (200) p50 ${pct(acks, 0.5)} ms   p95 ${pct(acks, 0.95)} ms   p99 ${pct(acks, 0.99)} ms`);
  if (cpu && cpuAtStart) {
    const perEvent = (key: keyof typeof cpu) => (((cpu[key] - cpuAtStart[key]) * 1000) / total).toFixed(2);
    console.log(`  CPU per event             server ${perEvent('server')} ms   PostgreSQL ${perEvent('postgres')} ms   load generator ${perEvent('generator')} ms   (2 cores: ${(2000 / Number(perEvent('total'))).toFixed(0)} events/s if all were busy)`);
  }
  console.log(`  WAL per event             ${((wal.bytes - walAtStart.bytes) / total / 1024).toFixed(1)} KB   (${((wal.fpi - walAtStart.fpi) / total).toFixed(2)} full-page images per event, ${wal.checkpoints - walAtStart.checkpoints} checkpoint(s) during the run)`);
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
 * Posts the prepared webhooks on a fixed schedule (event i at start + i / RATE seconds, whatever
 * the answers do) and resolves once every one is answered.
 */
async function sendAtRate(client: RawHttpClient, prepared: Prepared[]) {
  const sentAt = new Map<string, number>();
  const ackMs: number[] = [];
  let failures = 0;
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < prepared.length; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const { request, orderId } = prepared[i]!;
    const t0 = Date.now();
    sentAt.set(orderId, t0);
    inFlight.push(
      client.post(request).then(
        (status) => {
          ackMs.push(Date.now() - t0);
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
  orderId: string;
  /** Who placed it (a customer's number, or a guest's key). */
  buyer: string;
}

/** An order webhook's request from the sample's text: the order's own id and the time now, signed. */
function signedOrder(sampleText: string, orderNumber: bigint, buyer: string): Prepared {
  const text = sampleText
    .replaceAll('820982911946154508', String(orderNumber))
    .replace(/"created_at": "[^"]+"/, `"created_at": "${new Date().toISOString()}"`);
  const body = Buffer.from(text, 'utf8');
  const headers = {
    host: `127.0.0.1:${PORT}`,
    'content-length': body.length,
    ...signedWebhookHeaders(body, { secret: SECRET, topic: 'orders/create', shop: 'demo.myshopify.com' }),
  };
  const head = `POST /webhooks HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return { request: Buffer.concat([Buffer.from(head, 'latin1'), body]), orderId: `gid://shopify/Order/${orderNumber}`, buyer };
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
