import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../scenarios/generateShop.ts';
import { composeApp, type ComposedApp } from '../composeApp.ts';
import { loadConfig } from '../config.ts';
import { createStores, type StageRow, type Stores } from '../store/index.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { DEFAULT_RULESET } from '../testing/testApp.ts';
import { FileHistorySource } from './FileHistorySource.ts';
import { FETCH_STAGES, type BackfillStage, type FetchStage, type HistorySource } from './HistorySource.ts';
import type { GoMessage, WorkerMessage, WorkerOptions } from './testing/runBackfillWorker.ts';

/**
 * The kill-the-process test: a backfill run by real workers in child processes, SIGKILLed twice
 * (once in the middle of a page of orders, once during scoring), then resumed by a fresh process
 * as the server resumes after a restart. The result must be the history exactly (no record
 * missing, none twice), one decision per subject, and the same decisions as a backfill of the
 * same history that was never interrupted.
 */
const END = '2025-07-01T00:00:00.000Z';
const DAYS = 365;
const PAGE = 10;
const SCORE_PAGE = 10;
const { events } = generateShop({ seed: 21, customers: 80, start: '2025-01-01', days: 170 });
const idOf = (e: (typeof events)[number]) => (e as unknown as Record<string, { id: string }>)[e.type]!.id;
const subjects = events.filter((e) => e.type === 'order' || e.type === 'return' || e.type === 'refund').map(idOf).sort();
const records = events.map((e) => `${e.type} ${idOf(e)}`).sort();

const CRASHED = 'crashed.myshopify.com';
const REFERENCE = 'uninterrupted.myshopify.com';
const WORKER = new URL('./testing/runBackfillWorker.ts', import.meta.url).pathname;

let db: TestDatabase;
let stores: Stores;
let dir: string;
let historyPath: string;
let app: ComposedApp | undefined;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-backfill-crash-'));
  historyPath = join(dir, 'history.jsonl');
  await writeFile(historyPath, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  for (const shop of [CRASHED, REFERENCE]) {
    await stores.shops.install(shop, 'shpat_test_token', 'read_orders');
    await stores.rulesets.ensurePublished(shop, DEFAULT_RULESET);
  }
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await app?.queue.stop();
  await db?.drop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Worker {
  child: ChildProcess;
  reads: { stage: FetchStage; cursor: string | null }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/**
 * A worker process (node 24, the real composition) on the test's database. Each page read it
 * announces goes ahead unless `killAt` says to SIGKILL it right there (inside the step).
 */
function spawnWorker(options: Omit<WorkerOptions, 'databaseUrl' | 'shop' | 'pageSize' | 'scorePageSize'>, killAt?: (read: { stage: FetchStage; cursor: string | null }) => boolean): Worker {
  const full: WorkerOptions = { databaseUrl: db.url, shop: CRASHED, pageSize: PAGE, scorePageSize: SCORE_PAGE, ...options };
  const child = fork(WORKER, [JSON.stringify(full)], { execPath: process.execPath, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  children.add(child);
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const reads: Worker['reads'] = [];
  child.on('message', (message: WorkerMessage) => {
    if (message.type !== 'read') return;
    const read = { stage: message.stage, cursor: message.cursor };
    reads.push(read);
    if (killAt?.(read)) child.kill('SIGKILL');
    else child.send({ type: 'go', seq: message.seq } satisfies GoMessage);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  return { child, reads, exited, stderr: () => stderr };
}

/** The stage's checkpoint row (undefined before the backfill exists). */
async function stageOf(shop: string, stage: BackfillStage): Promise<StageRow | undefined> {
  return (await stores.backfills.stages(shop)).find((s) => s.stage === stage);
}

/** Polls the checkpoint rows until `check` passes; fails if the worker exits first. */
async function until<T>(worker: Worker, what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  let exited = false;
  void worker.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (exited) throw new Error(`the worker exited before ${what}:\n${worker.stderr()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${worker.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const count = async (where: Record<string, unknown>, kinds?: string[]) => {
  const q = db.knex('events').where(where);
  if (kinds) q.whereIn('kind', kinds);
  return Number((await q.count('* as n').first())!.n);
};

async function decisionsOf(shop: string): Promise<{ subject: string; score: string; zone: string }[]> {
  const rows = await db.knex('decisions').where({ shop_id: shop }).orderBy('subject_id').select('subject_id', 'score', 'zone');
  return rows.map((r) => ({ subject: r.subject_id, score: String(r.score), zone: r.zone }));
}

describe('a backfill whose worker process is killed', () => {
  it('resumes where it stopped: every record once, one decision per subject, the decisions of an uninterrupted backfill', async () => {
    // 1. A worker starts the backfill; once some pages of orders are committed, it is killed in
    //    the middle of the next one (it has read the checkpoint under the row lock, and is reading the page).
    let killedIn: { stage: FetchStage; cursor: string | null } | undefined;
    let midOrders = false;
    const first = spawnWorker({ start: { path: historyPath, days: DAYS, to: END } }, (read) => {
      if (!midOrders || read.stage !== 'orders' || killedIn) return false;
      killedIn = read;
      return true;
    });
    await until(first, 'the orders stage was under way', async () => {
      const orders = await stageOf(CRASHED, 'orders');
      return orders && orders.status === 'running' && orders.processed >= 3 * PAGE ? orders : undefined;
    });
    midOrders = true;
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect(killedIn?.cursor).not.toBeNull();

    // Nothing of the page in flight was stored, and the checkpoint still points at it.
    const afterKill = (await stageOf(CRASHED, 'orders'))!;
    expect(afterKill).toMatchObject({ status: 'running', cursor: killedIn!.cursor, pages: Number(killedIn!.cursor) / PAGE });
    expect(await count({ shop_id: CRASHED }, ['customer', 'order', 'transaction'])).toBe(Number(killedIn!.cursor));
    expect(await count({ shop_id: CRASHED }, ['order', 'transaction'])).toBe(afterKill.processed); // progress counts orders and their payments, not buyers
    expect(afterKill.processed).toBeLessThan(afterKill.total!);

    // 2. A second worker resumes as the server does after a restart (resumeAll); it is killed
    //    while the scoring stage is under way (some pages scored, not done).
    const second = spawnWorker({});
    const scoringMidway = await until(second, 'the scoring stage was under way', async () => {
      const scoring = (await stageOf(CRASHED, 'scoring'))!;
      return scoring.status === 'running' && scoring.processed > 0 && scoring.processed < scoring.total! ? scoring : undefined;
    });
    second.child.kill('SIGKILL');
    expect(await second.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // It went on from the checkpoint: its first read was the page the first worker died in.
    expect(second.reads[0]).toEqual({ stage: 'orders', cursor: killedIn!.cursor });
    const stagesAtKill = await stores.backfills.stages(CRASHED);
    expect(stagesAtKill.filter((s) => s.status === 'done').map((s) => s.stage)).toEqual([...FETCH_STAGES, 'aging', 'baseline']);
    const scoringAtKill = stagesAtKill.find((s) => s.stage === 'scoring')!;
    expect(scoringAtKill.processed).toBeGreaterThanOrEqual(scoringMidway.processed);
    expect(scoringAtKill.processed).toBeLessThan(subjects.length);

    // 3. A fresh process (this one) resumes and finishes; then backfills the same history into
    //    another shop without interruption, as the reference.
    const resumedReads: { shop: string; stage: FetchStage; cursor: string | null }[] = [];
    const config = loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' });
    app = await composeApp({
      config,
      stores,
      databaseUrl: db.url,
      log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
      defaultRuleset: DEFAULT_RULESET,
      fastRetries: true,
      backfill: {
        pageSize: PAGE,
        scorePageSize: SCORE_PAGE,
        openSource: (source, shop): HistorySource => {
          if (source.kind !== 'file') throw new Error('file sources only in this test');
          const file = new FileHistorySource(source.path);
          return {
            description: file.description,
            readPage: (stage, cursor, window, pageSize) => {
              resumedReads.push({ shop, stage, cursor });
              return file.readPage(stage, cursor, window, pageSize);
            },
          };
        },
      },
    });
    const settled = async (shop: string) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const progress = await app!.backfill.progress(shop);
        if (progress.status !== 'running') return progress;
        if (Date.now() > deadline) throw new Error(`timed out waiting for the backfill of ${shop}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    expect(await app.backfill.resumeAll()).toBe(1);
    const resumed = await settled(CRASHED);
    expect(resumedReads).toEqual([]); // all fetches were done: the resumed work was scoring only
    expect(await app.backfill.start(REFERENCE, { kind: 'file', path: historyPath }, { days: DAYS, to: END })).toBe(true);
    const reference = await settled(REFERENCE);

    // Every stage done, each record counted once (a page re-read after a kill is not counted twice).
    for (const progress of [resumed, reference]) {
      expect(progress.status).toBe('done');
      expect(progress.stages.map((s) => [s.stage, s.status])).toEqual(['orders', 'fulfillments', 'returns', 'refunds', 'chargebacks', 'aging', 'baseline', 'scoring'].map((s) => [s, 'done']));
    }
    for (const stage of FETCH_STAGES) {
      const crashed = resumed.stages.find((s) => s.stage === stage)!;
      const clean = reference.stages.find((s) => s.stage === stage)!;
      expect({ stage, processed: crashed.processed, total: crashed.total, pages: crashed.pages }).toEqual({ stage, processed: clean.processed, total: clean.total, pages: clean.pages });
      expect(crashed.processed).toBe(crashed.total);
    }
    const scoring = resumed.stages.find((s) => s.stage === 'scoring')!;
    expect([scoring.processed, scoring.total]).toEqual([subjects.length, subjects.length]);
    expect(scoring.pages).toBe(reference.stages.find((s) => s.stage === 'scoring')!.pages);

    // The stored records are the history's exactly: none missing, none twice.
    const stored = (await db.knex('events').where({ shop_id: CRASHED }).select('kind', 'resource_id')).map((r) => `${r.kind} ${r.resource_id}`).sort();
    expect(stored).toEqual(records);

    // One decision per subject, the same as the uninterrupted backfill's.
    const decided = await decisionsOf(CRASHED);
    expect(decided.map((d) => d.subject)).toEqual(subjects);
    expect(decided).toEqual(await decisionsOf(REFERENCE));
  });
});
