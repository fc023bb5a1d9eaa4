import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freePorts } from './testing/freePort.ts';
import { signedWebhookHeaders } from './testing/signedWebhookHeaders.ts';

const root = new URL('..', import.meta.url).pathname;
const SECRET = 'refundsentry-demo-secret';
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** `node server/main.ts` as `npm start` runs it: embedded PostgreSQL in `dataDir`, demo mode, no demo history. */
function startServer(dataDir: string, port: number, pgPort: number) {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), DATA_DIR: dataDir, DEMO_HISTORY: 'none', LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, [join(root, 'server/main.ts')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = new Promise<void>((resolve, reject) => {
    const check = () => (output.includes('is listening on') ? resolve() : undefined);
    child.stdout.on('data', check);
    void exited.then((code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
  return { child, listening, exited, output: () => output };
}

function signedOrder(sample: string, n: number): { body: string; headers: Record<string, string> } {
  const body = sample.replaceAll('820982911946154508', String(910000000000000000n + BigInt(n))).replaceAll('115310627314723954', String(710000000000000000n + BigInt(n % 7)));
  return { body, headers: signedWebhookHeaders(body, { secret: SECRET, topic: 'orders/create', shop: 'demo.myshopify.com' }) };
}

describe('npm start: SIGTERM', () => {
  it('drains the running jobs before PostgreSQL stops (no connection cut under them, exit 0), and nothing acknowledged is lost', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'refundsentry-shutdown-'));
    dirs.push(dataDir);
    await chmod(dataDir, 0o755);
    const [port, pgPort] = await freePorts(2);
    const first = startServer(dataDir, port, pgPort);
    await first.listening;

    // A burst of webhooks, then SIGTERM as soon as they are acknowledged: scoring jobs are running or queued.
    const sample = await readFile(join(root, 'server/shopify/fixtures/webhooks/orders_create.json'), 'utf8');
    const orders = Array.from({ length: 150 }, (_, n) => signedOrder(sample, n));
    const statuses = await Promise.all(orders.map(({ body, headers }) => fetch(`http://127.0.0.1:${port}/webhooks`, { method: 'POST', body, headers }).then((r) => r.status)));
    expect(statuses.every((status) => status === 200)).toBe(true);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // PostgreSQL closing a connection a job still used shows as 57P01 ("terminating connection due to administrator command").
    expect(first.output()).not.toMatch(/terminating connection|57P01|"level":50/);

    // Every acknowledged webhook has its decision: drained before the stop, or resumed after a restart.
    const second = startServer(dataDir, port, pgPort);
    await second.listening;
    const db = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${pgPort}/refundsentry` });
    await db.connect();
    let decided = 0;
    for (let i = 0; i < 120 && decided < orders.length; i++) {
      decided = Number((await db.query(`select count(*) as n from decisions where subject_id like 'gid://shopify/Order/91%'`)).rows[0].n);
      if (decided < orders.length) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await db.end();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(decided).toBe(orders.length);
  }, 120_000);
});
