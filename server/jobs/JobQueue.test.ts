import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/testDatabase.ts';
import { JobQueue } from './JobQueue.ts';
import { QUEUES } from './queues.ts';

// The sending side on real pg-boss over a database of this file's own: what each send leaves
// queued (nothing works these queues here, so the jobs stay as sent).
let db: TestDatabase;
let queue: JobQueue;
const errors: Error[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  queue = await JobQueue.start(db.url, (error) => errors.push(error), { retryDelaySeconds: 0 });
});
afterAll(async () => {
  await queue?.stop();
  await db?.drop();
});

/** The queued (created or retry) jobs of a queue, with their data. */
async function queued<T>(name: string): Promise<{ data: T; singletonKey: string | null; startAfter: Date }[]> {
  const jobs = await queue.boss.findJobs<T>(name, { queued: true });
  return jobs.map((job) => ({ data: job.data, singletonKey: job.singletonKey ?? null, startAfter: job.startAfter }));
}

describe('JobQueue', () => {
  it('creates every queue of QUEUES', async () => {
    for (const name of Object.values(QUEUES)) expect(await queue.boss.getQueue(name), name).not.toBeNull();
    expect(errors).toEqual([]);
  });

  it('schedules the periodic jobs once across processes: rings, aging, alert checks hourly, the alert sweep every minute', async () => {
    await queue.scheduleRings();
    await queue.scheduleAging();
    await queue.scheduleAlertChecks();
    await queue.scheduleAlertSweep();
    // Scheduling again (another process starting) replaces, never adds.
    await queue.scheduleAlertSweep();
    const schedules = (await queue.boss.getSchedules()).map((s) => [s.name, s.cron]).sort();
    expect(schedules).toEqual([[QUEUES.agingAll, '41 3 * * *'], [QUEUES.alertChecksAll, '7 * * * *'], [QUEUES.alertSweep, '* * * * *'], [QUEUES.ringsAll, '17 */6 * * *']].sort());
  });

  it('sends scores in one insert, each keyed by its subject; a batch of one goes to the score queue, more as one batch job', async () => {
    const a = { shopId: 'a.myshopify.com', kind: 'order' as const, subjectId: 'gid://shopify/Order/1' };
    const b = { shopId: 'a.myshopify.com', kind: 'return' as const, subjectId: 'gid://shopify/Return/2' };
    await queue.sendScores([]);
    await queue.sendScores([a, b]);
    expect((await queued(QUEUES.score)).map((job) => [job.data, job.singletonKey])).toEqual(
      expect.arrayContaining([
        [a, 'a.myshopify.com|order|gid://shopify/Order/1'],
        [b, 'a.myshopify.com|return|gid://shopify/Return/2'],
      ]),
    );
    const c = { shopId: 'a.myshopify.com', kind: 'order' as const, subjectId: 'gid://shopify/Order/3' };
    await queue.sendScoreBatch([c]);
    expect((await queued(QUEUES.score)).map((job) => job.data)).toContainEqual(c);
    expect(await queued(QUEUES.scoreBatch)).toEqual([]);
    await queue.sendScoreBatch([a, c]);
    expect((await queued(QUEUES.scoreBatch)).map((job) => job.data)).toEqual([{ subjects: [a, c] }]);
  });

  it('keys action jobs per attempt, and delays a retry', async () => {
    const job = { shopId: 'a.myshopify.com', actionId: 'action-1' };
    await queue.sendActions([job]);
    await queue.sendAction(job, 1, 600);
    const sent = await queued(QUEUES.action);
    expect(sent.map((row) => row.singletonKey).sort()).toEqual(['a.myshopify.com|action-1|0', 'a.myshopify.com|action-1|1']);
    const retry = sent.find((row) => row.singletonKey!.endsWith('|1'))!;
    const first = sent.find((row) => row.singletonKey!.endsWith('|0'))!;
    expect(retry.startAfter.getTime() - first.startAfter.getTime()).toBeGreaterThan(500_000);
  });

  it('delays a backfill step while a bulk operation runs', async () => {
    await queue.sendBackfill({ shopId: 'now.myshopify.com' });
    await queue.sendBackfill({ shopId: 'later.myshopify.com' }, 300);
    const sent = await queued<{ shopId: string }>(QUEUES.backfill);
    const now = sent.find((job) => job.data.shopId === 'now.myshopify.com')!;
    const later = sent.find((job) => job.data.shopId === 'later.myshopify.com')!;
    expect(later.startAfter.getTime() - now.startAfter.getTime()).toBeGreaterThan(250_000);
  });

  it('queues one rings rebuild per shop: a request while one waits is that rebuild', async () => {
    await queue.sendRings({ shopId: 'a.myshopify.com' });
    await queue.sendRings({ shopId: 'a.myshopify.com' });
    await queue.sendRings({ shopId: 'b.myshopify.com' });
    expect((await queued<{ shopId: string }>(QUEUES.rings)).map((job) => job.data.shopId).sort()).toEqual(['a.myshopify.com', 'b.myshopify.com']);
  });

  // pg-boss 12 enforces a singleton key only on queues of the short, singleton, stately or
  // exclusive policies (its unique indexes job_i1..job_i6); these queues are 'standard', so the key
  // only labels the job and a second send queues a second job. What makes that harmless is
  // downstream: a decided subject is not decided again, a finished action is not claimed again.
  it('queues a second job on a standard queue whatever its singleton key (score, action, aging, products, reasons)', async () => {
    const shopId = 'dup.myshopify.com';
    const score = { shopId, kind: 'order' as const, subjectId: 'gid://shopify/Order/9' };
    await queue.sendScore(score);
    await queue.sendScore(score);
    const action = { shopId, actionId: 'action-dup' };
    await queue.sendActions([action]);
    await queue.sendAction(action, 0);
    for (let i = 0; i < 2; i++) {
      await queue.sendAging({ shopId });
      await queue.sendProducts({ shopId, productIds: [`gid://shopify/Product/${i}`] });
      await queue.sendReasons({ shopId, trigger: 'request' });
    }
    for (const name of [QUEUES.score, QUEUES.action, QUEUES.aging, QUEUES.products, QUEUES.reasons]) {
      const ofShop = (await queued<{ shopId: string }>(name)).filter((job) => job.data.shopId === shopId);
      expect(ofShop, name).toHaveLength(2);
      expect(new Set(ofShop.map((job) => job.singletonKey)).size, name).toBe(1);
    }
  });
});
