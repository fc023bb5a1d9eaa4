import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ruleset } from '../../engine/index.ts';
import { generateShop } from '../../scenarios/generateShop.ts';
import { DEFAULT_RULESET, startTestApp, type TestApp } from '../testing/testApp.ts';
import { LiveLoad } from './LiveLoad.ts';
import { TrialRefused, TrialThreads } from './TrialThreads.ts';

const SHOP = 'trials.myshopify.com';
const END = '2025-06-01T00:00:00.000Z';
let app: TestApp;
let dir: string;

/** 100 × 100 × 100 array elements per decision: far over any budget, whatever the history. */
const HUNDRED = `[${Array.from({ length: 100 }, (_, i) => i).join(',')}]`;
const CUBIC: Ruleset = { ...DEFAULT_RULESET, customSignals: [{ id: 'custom.cubic', when: `$count(${HUNDRED}.(${HUNDRED}.(${HUNDRED}))) > 0`, weight: 10 }] };
/** The heavy expression: the whole context stringified once per past order. */
const STRINGIFY: Ruleset = {
  ...DEFAULT_RULESET,
  customSignals: Array.from({ length: 40 }, (_, i) => ({ id: `custom.heavy-${i}`, when: '$sum(history.orders.($length($string($$)) + $count(history.returns.($length($string($$)))))) > 0', weight: 1 })),
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-trials-'));
  const path = join(dir, 'history.jsonl');
  await writeFile(path, generateShop({ seed: 4, customers: 40, start: '2025-03-01', days: 90 }).events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  // A smaller preview budget than the default 20,000,000 steps, so that this small shop can use it up.
  app = await startTestApp({ env: { PREVIEW_STEPS: '2000000' } });
  await app.installShop(SHOP);
  await app.backfill.start(SHOP, { kind: 'file', path }, { days: 365, to: END });
  await app.waitFor(async () => (await app.backfill.progress(SHOP)).status === 'done', 'the backfill');
});
afterAll(async () => {
  await app?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function preview(body: Ruleset) {
  const response = await app.server.inject({
    method: 'POST',
    url: '/api/rulesets/preview',
    payload: { body, days: 730 },
    headers: { authorization: `Bearer ${await app.sessionToken(SHOP)}` },
  });
  return { status: response.statusCode, body: JSON.parse(response.payload) };
}

/** `/health` answered again and again while `work` runs: the latencies, in ms. */
async function healthDuring(work: Promise<unknown>): Promise<number[]> {
  let done = false;
  void work.finally(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const started = performance.now();
    const response = await app.server.inject('/health');
    expect(response.statusCode).toBe(200);
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return latencies;
}

describe('previews run in a trial thread, within their budget', () => {
  it('stops a preview whose custom expressions exceed its step budget, naming them, while the main loop keeps answering', async () => {
    const answer = preview(STRINGIFY);
    const latencies = await healthDuring(answer);
    const { status, body } = await answer;
    expect(status, JSON.stringify(body)).toBe(422);
    expect(body).toMatchObject({ code: 'over-budget', message: expect.stringMatching(/budget of 2,000,000 steps \(most: custom\.heavy-/) });
    expect(body.heaviest[0].label).toMatch(/^custom\.heavy-/);
    expect(latencies.length).toBeGreaterThan(3);
    // The main event loop is never the one running the expressions: /health answers as usual.
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  });

  it('gives a light draft its preview, rescored exactly', async () => {
    const light: Ruleset = { ...DEFAULT_RULESET, customSignals: [{ id: 'custom.big-order', when: 'order.totalPrice > 150', weight: 20 }] };
    const { status, body } = await preview(light);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ mode: 'rescored', rescore: { exact: true } });
    expect(body.rescore.recomputed['custom.big-order']).toBeGreaterThan(0);
  });

  it('answers an earlier preview of the same shop 409 when a newer one replaces it', async () => {
    const first = preview(STRINGIFY);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = preview({ ...DEFAULT_RULESET, zones: { medium: 31, high: 80 } });
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe(409);
    expect(a.body).toMatchObject({ code: 'superseded' });
    expect(b.status, JSON.stringify(b.body)).toBe(200);
  });

  it('stops a trial past its time, and one past its memory, and the next trial runs on a new thread', async () => {
    const trials = new TrialThreads({ config: app.config, databaseUrl: app.db.url, stores: app.stores, limits: { previewTimeoutMs: 300, previewSteps: 1e12 } });
    try {
      const slow = await trials.preview(SHOP, CUBIC, 730).then(() => undefined, (error: unknown) => error);
      expect(slow).toBeInstanceOf(TrialRefused);
      expect(slow).toMatchObject({ status: 422, code: 'timeout', message: expect.stringMatching(/longer than its 0 s budget|longer than its \d+ s budget/) });
    } finally {
      await trials.close();
    }
    // A thread module that keeps allocating: the memory limit, not the machine, stops it.
    const small = new TrialThreads({ config: app.config, databaseUrl: app.db.url, stores: app.stores, limits: { memoryMb: 64 }, threadModule: new URL('./testing/greedyThread.ts', import.meta.url) });
    try {
      const big = await small.preview(SHOP, DEFAULT_RULESET, 730).then(() => undefined, (error: unknown) => error);
      expect(big).toMatchObject({ status: 422, code: 'memory', message: expect.stringMatching(/more than its 64 MB/) });
      // A new thread takes the next trial.
      const again = await small.preview(SHOP, DEFAULT_RULESET, 730).then(() => undefined, (error: unknown) => error);
      expect(again).toMatchObject({ code: 'memory' });
    } finally {
      await small.close();
    }
    // The app's own trial threads are untouched by either.
    expect((await preview({ ...DEFAULT_RULESET, zones: { medium: 31, high: 70 } })).status).toBe(200);
  });

  it('refuses previews beyond the queue with 429, never a 5xx', async () => {
    const trials = new TrialThreads({ config: app.config, databaseUrl: app.db.url, stores: app.stores, limits: { maxQueuedPreviews: 1 } });
    for (const s of ['a', 'b', 'c', 'd']) await app.installShop(`${s}-${SHOP}`);
    try {
      const outcomes = await Promise.all(
        ['a', 'b', 'c', 'd'].map((s) => trials.preview(`${s}-${SHOP}`, STRINGIFY, 730).then(() => 200, (error: TrialRefused) => error.status)),
      );
      expect(outcomes).toContain(429);
      expect(outcomes.every((status) => status < 500), String(outcomes)).toBe(true);
    } finally {
      await trials.close();
    }
  });
});

describe('fits run in the trial thread, within their budget', () => {
  const fitRow = async () => (await app.stores.fits.create({ shop_id: SHOP, options: {}, as_of: new Date(), against_version: 1, labels: {}, created_by: 'test' })).id;

  it('records a fit stopped past its time, or past its memory, as failed with the reason', async () => {
    const quick = new TrialThreads({ config: app.config, databaseUrl: app.db.url, stores: app.stores, limits: { fitTimeoutMs: 1 } });
    try {
      const id = await fitRow();
      await quick.fit(SHOP, id);
      expect(await app.stores.fits.get(SHOP, id)).toMatchObject({ status: 'failed', error: 'stopped: the fit ran longer than its 0 s budget', draft_version: null });
    } finally {
      await quick.close();
    }
    const small = new TrialThreads({ config: app.config, databaseUrl: app.db.url, stores: app.stores, limits: { memoryMb: 64 }, threadModule: new URL('./testing/greedyThread.ts', import.meta.url) });
    try {
      const id = await fitRow();
      await small.fit(SHOP, id);
      expect(await app.stores.fits.get(SHOP, id)).toMatchObject({ status: 'failed', error: 'stopped: the fit needed more than its 64 MB of memory' });
    } finally {
      await small.close();
    }
  });
});

describe('LiveLoad', () => {
  it('holds a trial while live work is in flight, for a bounded time, and not otherwise', () => {
    const load = new LiveLoad();
    expect(load.yieldToLive(50)).toBeLessThan(10);
    load.enter();
    expect(load.inFlight).toBe(1);
    const waited = load.yieldToLive(30);
    expect(waited).toBeGreaterThanOrEqual(29);
    expect(waited).toBeLessThan(1_000);
    load.leave();
    expect(load.inFlight).toBe(0);
  });
});
