import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../engine/index.ts';
import type { HistoryEvent } from '../../engine/history/index.ts';
import type { CustomerSnapshot, OrderRecord } from '../../sdk/index.ts';
import { builtinSignals } from '../../signals/index.ts';
import { ScoringService } from '../services/ScoringService.ts';
import { createStores, type Stores } from '../store/index.ts';
import { DEFAULT_RULESET } from '../testing/testApp.ts';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { JobQueue } from './JobQueue.ts';
import { ALERT_ATTEMPTS, QUEUES, type ScoreJob } from './queues.ts';
import { startWorkers, sweepPendingActions, sweepUnscoredSubjects, type WorkerDeps } from './startWorkers.ts';

// The workers on real pg-boss and PostgreSQL (one database for the file): a job sent is worked by
// its queue's worker. Scoring runs the real ScoringService on stored events, so a score job's
// effect is a stored decision; the other queues hand their payload to the function composeApp
// gives them (here: one that records what it was given), so their effect is that call.
let db: TestDatabase;
let stores: Stores;
let queue: JobQueue;
const calls: { queue: string; args: unknown[] }[] = [];
/** Actions whose run throws (to see a failed action job). */
const failingActions = new Set<string>();

const shopId = 'workers.myshopify.com';
const goneShopId = 'gone.myshopify.com';

beforeAll(async () => {
  db = await createTestDatabase();
  stores = createStores(db.knex);
  queue = await JobQueue.start(db.url, (error) => calls.push({ queue: 'error', args: [error] }), { retryDelaySeconds: 0 });
  for (const shop of [shopId, goneShopId]) {
    await stores.shops.install(shop, 'shpat_test_token', 'read_orders');
    await stores.rulesets.ensurePublished(shop, DEFAULT_RULESET);
  }
  await stores.shops.markUninstalled(goneShopId);
  // The periodic queues' workers poll every 30 s: jobs waiting when they start are fetched at once.
  await queue.boss.send(QUEUES.ringsAll, {});
  await queue.boss.send(QUEUES.agingAll, {});
  await queue.boss.send(QUEUES.alertChecksAll, {});
  await queue.boss.send(QUEUES.alertSweep, {});
  const record = (name: string) => async (...args: unknown[]) => {
    calls.push({ queue: name, args });
  };
  const deps: WorkerDeps = {
    queue,
    stores,
    scoring: new ScoringService(stores, createRegistry(builtinSignals)),
    log: pino({ level: 'silent' }),
    runAction: async (...args) => {
      calls.push({ queue: QUEUES.action, args });
      if (failingActions.has(args[1])) throw new Error(`action ${args[1]} refused`);
    },
    runBackfill: record(QUEUES.backfill),
    runSimulation: record(QUEUES.simulate),
    runRings: record(QUEUES.rings),
    requestAllRings: record(QUEUES.ringsAll),
    runReasons: record(QUEUES.reasons),
    runProducts: record(QUEUES.products),
    runAging: record(QUEUES.aging),
    requestAllAging: record(QUEUES.agingAll),
    runFit: record(QUEUES.fit),
    runAlert: async (...args) => {
      calls.push({ queue: QUEUES.alert, args });
      if (args[1] === 'alert-that-fails') throw new Error('the receiver answered HTTP 500');
    },
    runAlertChecks: record(QUEUES.alertChecks),
    requestAllAlertChecks: record(QUEUES.alertChecksAll),
    sweepAlerts: record(QUEUES.alertSweep),
  };
  await startWorkers(deps);
});
afterAll(async () => {
  await queue?.stop();
  await db?.drop();
});

async function waitFor<T>(check: () => Promise<T | undefined | null | false> | T | undefined | null | false, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const callsOf = (name: string) => calls.filter((call) => call.queue === name).map((call) => call.args);

/** Stores a customer and their order (as the webhook route does), and returns its score job. */
async function storeOrder(shop: string, n: number): Promise<ScoreJob> {
  const customerId = `gid://shopify/Customer/${n}`;
  const customer: CustomerSnapshot = { id: customerId, identity: { email: `hash-${n}` }, tags: [] } as unknown as CustomerSnapshot;
  const order = {
    id: `gid://shopify/Order/${n}`,
    customerId,
    createdAt: '2026-12-01T10:00:00.000Z',
    totalPrice: 40,
    currency: 'EUR',
    lineItems: [],
    discountCodes: [],
    gateways: [],
    tags: [],
    identity: customer.identity,
  } as unknown as OrderRecord;
  const events: HistoryEvent[] = [{ type: 'customer', customer } as HistoryEvent, { type: 'order', order }];
  await stores.events.upsertAll(shop, events);
  return { shopId: shop, kind: 'order', subjectId: order.id };
}

async function decisionsOf(job: ScoreJob): Promise<{ id: string; zone: string }[]> {
  return db.knex('decisions').where({ shop_id: job.shopId, subject_kind: job.kind, subject_id: job.subjectId }).select('id', 'zone');
}

/** The jobs of a queue whose data contains `data`, once every one of them has settled. */
async function settled(name: string, data: object): Promise<{ state: string; output: unknown }[]> {
  return waitFor(async () => {
    const jobs = await queue.boss.findJobs(name, { data });
    return jobs.length > 0 && jobs.every((job) => ['completed', 'failed', 'cancelled'].includes(job.state)) && jobs.map((job) => ({ state: job.state, output: job.output }));
  }, `${name} jobs of ${JSON.stringify(data)} to settle`);
}

describe('startWorkers', () => {
  it('a score job decides its subject once and sends the decision’s pending actions to the action worker', async () => {
    const job = await storeOrder(shopId, 101);
    // Sent twice: the standard queue keeps both jobs (JobQueue.test.ts); the subject is decided once.
    await queue.sendScore(job);
    await queue.sendScore(job);
    const jobs = await settled(QUEUES.score, { subjectId: job.subjectId });
    expect(jobs.map((row) => row.state)).toEqual(['completed', 'completed']);
    const decisions = await decisionsOf(job);
    expect(decisions).toHaveLength(1);
    const pending = await db.knex('actions').where({ shop_id: shopId, decision_id: decisions[0]!.id }).pluck('id');
    // The default ruleset tags a known customer whatever the zone.
    expect(pending.length).toBeGreaterThan(0);
    await waitFor(() => pending.every((id) => callsOf(QUEUES.action).some(([shop, actionId]) => shop === shopId && String(actionId) === String(id))), 'the decision’s actions to be run');
  });

  it('a batch job decides all its subjects; one that is not ready is handed to a score job of its own', async () => {
    const a = await storeOrder(shopId, 201);
    const b = await storeOrder(shopId, 202);
    const notStored: ScoreJob = { shopId, kind: 'order', subjectId: 'gid://shopify/Order/299' };
    await queue.sendScoreBatch([a, notStored, b]);
    const [batch] = await settled(QUEUES.scoreBatch, { subjects: [a] });
    expect(batch).toEqual({ state: 'completed', output: { retriedAlone: 1 } });
    expect(await decisionsOf(a)).toHaveLength(1);
    expect(await decisionsOf(b)).toHaveLength(1);
    // Its own job retries it with the score queue's policy (6 retries); it never gets a decision.
    const [alone] = await queue.boss.findJobs(QUEUES.score, { data: { subjectId: notStored.subjectId } });
    expect(alone).toMatchObject({ data: notStored, retryLimit: 6 });
    expect(await decisionsOf(notStored)).toEqual([]);
  });

  it('drops the score job of a shop that is not installed', async () => {
    const job = await storeOrder(goneShopId, 301);
    await queue.sendScore(job);
    expect(await settled(QUEUES.score, { shopId: goneShopId })).toEqual([{ state: 'completed', output: { dropped: 'shop not installed' } }]);
    expect(await decisionsOf(job)).toEqual([]);
  });

  it('fails an action job whose run throws, with the error as its output', async () => {
    failingActions.add('action-that-fails');
    await queue.sendAction({ shopId, actionId: 'action-that-fails' });
    await queue.sendAction({ shopId, actionId: 'action-that-runs' });
    expect(await settled(QUEUES.action, { actionId: 'action-that-fails' })).toEqual([{ state: 'failed', output: { message: 'action action-that-fails refused' } }]);
    expect(await settled(QUEUES.action, { actionId: 'action-that-runs' })).toEqual([{ state: 'completed', output: null }]);
  });

  it('hands each other queue’s job to its run function with the job’s payload', async () => {
    const shop = 'other.myshopify.com';
    await queue.sendBackfill({ shopId: shop });
    await queue.sendSimulation({ shopId: shop, simulationId: 'sim-1' });
    await queue.sendRings({ shopId: shop });
    await queue.sendReasons({ shopId: shop, trigger: 'request' });
    await queue.sendProducts({ shopId: shop, productIds: ['gid://shopify/Product/1', 'gid://shopify/Product/2'] });
    await queue.sendAging({ shopId: shop });
    await queue.sendFit({ shopId: shop, fitId: 'fit-1' });
    await queue.sendAlerts([{ shopId: shop, deliveryId: 'delivery-1' }]);
    await queue.sendAlertChecks({ shopId: shop });
    // The periodic ones (ringsAll, agingAll, alertChecksAll, alertSweep) were sent before the workers started (beforeAll).
    const expected: [string, unknown[]][] = [
      [QUEUES.backfill, [shop]],
      [QUEUES.simulate, [shop, 'sim-1']],
      [QUEUES.rings, [shop]],
      [QUEUES.reasons, [shop, 'request']],
      [QUEUES.products, [shop, ['gid://shopify/Product/1', 'gid://shopify/Product/2']]],
      [QUEUES.aging, [shop]],
      [QUEUES.fit, [shop, 'fit-1']],
      [QUEUES.alert, [shop, 'delivery-1']],
      [QUEUES.alertChecks, [shop]],
      [QUEUES.ringsAll, []],
      [QUEUES.agingAll, []],
      [QUEUES.alertChecksAll, []],
      [QUEUES.alertSweep, []],
    ];
    for (const [name, args] of expected) await waitFor(() => callsOf(name).some((call) => JSON.stringify(call) === JSON.stringify(args)), `the ${name} worker to run ${JSON.stringify(args)}`);
    for (const [name] of expected) expect(callsOf(name), name).toHaveLength(1);
  });

  it('retries a failing alert delivery job until its attempts are spent', async () => {
    await queue.sendAlerts([{ shopId: 'other.myshopify.com', deliveryId: 'alert-that-fails' }]);
    await waitFor(() => callsOf(QUEUES.alert).filter(([, id]) => id === 'alert-that-fails').length === ALERT_ATTEMPTS, `${ALERT_ATTEMPTS} attempts of the failing alert`);
    expect(await settled(QUEUES.alert, { deliveryId: 'alert-that-fails' })).toEqual([{ state: 'failed', output: { message: 'the receiver answered HTTP 500' } }]);
  });

  it('the sweepers re-enqueue a stored subject left unscored and an action left pending', async () => {
    const job = await storeOrder(shopId, 401);
    expect(await decisionsOf(job)).toEqual([]);
    expect(await sweepUnscoredSubjects({ queue, stores }, 0)).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await decisionsOf(job)).length === 1, 'the swept subject to be decided');
    // An action row left pending by a crash between the decision's commit and the send.
    const [decision] = await decisionsOf(job);
    const actionIds = await db.knex('actions').where({ shop_id: shopId, decision_id: decision!.id }).pluck('id');
    await waitFor(() => actionIds.every((id) => callsOf(QUEUES.action).some(([, actionId]) => String(actionId) === String(id))), 'its actions to be run');
    const runsBefore = callsOf(QUEUES.action).length;
    await db.knex('actions').whereIn('id', actionIds).update({ status: 'pending', created_at: db.knex.raw(`now() - interval '1 hour'`) });
    const swept = await sweepPendingActions({ queue, stores });
    expect(swept).toBeGreaterThanOrEqual(actionIds.length);
    await waitFor(() => callsOf(QUEUES.action).length >= runsBefore + actionIds.length, 'the swept actions to be run again');
  });
});
