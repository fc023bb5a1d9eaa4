import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
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
 * `--statements`: the embedded PostgreSQL runs with pg_stat_statements, and the statements that
 * took the most time during the run are printed (calls, total and mean time, rows).
 */
const args = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const STATEMENTS = process.argv.includes('--statements');
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


const dataDir = await mkdtemp(join(tmpdir(), 'refundsentry-bench-'));
await chmod(dataDir, 0o755);
const server = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), join(root, 'server/main.ts')], {
  env: { ...process.env, PORT: String(PORT), EMBEDDED_PG_PORT: String(PG_PORT), DATA_DIR: dataDir, LOG_LEVEL: 'warn', DEMO_HISTORY: 'none', ...(STATEMENTS ? { EMBEDDED_PG_STATEMENT_STATS: '1' } : {}) },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const stop = async () => {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  await rm(dataDir, { recursive: true, force: true });
};

try {
  await waitForHealth();
  const pgUrl = `postgres://postgres:postgres@127.0.0.1:${PG_PORT}/refundsentry`;
  const sample = await readFile(join(root, 'server/shopify/fixtures/webhooks/orders_create.json'), 'utf8');
  const total = RATE * SECONDS;
  const warmupTotal = RATE * WARMUP;
  // Bodies and signatures are prepared before the clock starts: the load generator shares the
  // machine's 2 cores with the server and PostgreSQL, so its own work per request is kept small.
  // The warm-up's orders come after the measured ones' (their ids never meet).
  const bodies = Array.from({ length: total }, (_, i) => variant(sample, i));
  const warmupBodies = Array.from({ length: warmupTotal }, (_, i) => variant(sample, total + i));
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
  const { started, sentAt, ackMs, failures } = await sendAtRate(client, bodies);
  client.close();
  const sendSeconds = (Date.now() - started) / 1000;
  const rows = await decisionsFor(db, new Set(sentAt.keys()));
  const cpu = await cpuSeconds(server.pid!);
  const statements = STATEMENTS
    ? (await db.query(
        `select calls, total_exec_time as total, total_exec_time / calls as mean, rows, left(regexp_replace(query, '\\s+', ' ', 'g'), 100) as query
           from pg_stat_statements where query not like '%pg_stat_statements%' order by total_exec_time desc limit 10`,
      )).rows
    : [];
  await db.end();
  const latencies = rows.map((r) => r.created - sentAt.get(r.subject_id)!).sort((a, b) => a - b);
  const lastDecision = Math.max(...rows.map((r) => r.created));
  const pct = (values: number[], p: number) => values[Math.min(values.length - 1, Math.ceil(p * values.length) - 1)];
  const acks = ackMs.sort((a, b) => a - b);
  console.log(`webhook → decision bench: ${total} orders/create webhooks from ${CUSTOMERS} customers at ${RATE}/s for ${SECONDS} s (sent in ${sendSeconds.toFixed(1)} s)${WARMUP ? ` after a ${WARMUP} s warm-up` : ''}, node ${process.version}`);
  console.log(`  decisions stored          ${rows.length} of ${total}${failures ? `, ${failures} webhook(s) not acknowledged with 200` : ''}`);
  console.log(`  throughput                ${(rows.length / ((lastDecision - started) / 1000)).toFixed(0)} decisions/s (first send to last decision)`);
  console.log(`  webhook → decision        p50 ${pct(latencies, 0.5).toFixed(0)} ms   p95 ${pct(latencies, 0.95).toFixed(0)} ms   p99 ${pct(latencies, 0.99).toFixed(0)} ms   max ${latencies.at(-1)!.toFixed(0)} ms`);
  console.log(`  webhook acknowledged (200) p50 ${pct(acks, 0.5)} ms   p95 ${pct(acks, 0.95)} ms   p99 ${pct(acks, 0.99)} ms`);
  if (cpu && cpuAtStart) {
    const perEvent = (key: keyof typeof cpu) => (((cpu[key] - cpuAtStart[key]) * 1000) / total).toFixed(2);
    console.log(`  CPU per event             server ${perEvent('server')} ms   PostgreSQL ${perEvent('postgres')} ms   load generator ${perEvent('generator')} ms   (2 cores: ${(2000 / Number(perEvent('total'))).toFixed(0)} events/s if all were busy)`);
  }
  if (statements.length > 0) {
    console.log('  PostgreSQL statements by total time (ms per event = total / events):');
    for (const row of statements) {
      console.log(`    ${(Number(row.total) / total).toFixed(3).padStart(7)} ms/event  ${String(row.calls).padStart(6)} calls  ${Number(row.mean).toFixed(2).padStart(8)} ms mean  ${String(row.rows).padStart(7)} rows  ${row.query}`);
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
async function sendAtRate(client: RawHttpClient, prepared: { request: Buffer; orderId: string }[]) {
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

/** Shopify's sample order with a fresh id (order, line items, customer) per event, signed. */
function variant(sample: string, i: number): { request: Buffer; orderId: string } {
  const orderNumber = 900000000000000000n + BigInt(i);
  const customerNumber = 700000000000000000n + BigInt(i % CUSTOMERS);
  const text = sample
    .replaceAll('820982911946154508', String(orderNumber))
    .replaceAll('115310627314723954', String(customerNumber))
    .replace(/"created_at": "[^"]+"/, `"created_at": "${new Date().toISOString()}"`);
  const body = Buffer.from(text, 'utf8');
  const headers = {
    host: `127.0.0.1:${PORT}`,
    'content-length': body.length,
    ...signedWebhookHeaders(body, { secret: SECRET, topic: 'orders/create', shop: 'demo.myshopify.com' }),
  };
  const head = `POST /webhooks HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return { request: Buffer.concat([Buffer.from(head, 'latin1'), body]), orderId: `gid://shopify/Order/${orderNumber}` };
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
