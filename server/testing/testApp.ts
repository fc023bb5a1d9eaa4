import type { Server, ServerInjectResponse } from '@hapi/hapi';
import { getJwt } from '@shopify/shopify-api/test-helpers';
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import type { Ruleset } from '../../engine/index.ts';
import { composeApp } from '../composeApp.ts';
import { loadConfig, type Config } from '../config.ts';
import type { JobQueue } from '../jobs/JobQueue.ts';
import type { OrderIntake } from '../services/OrderIntake.ts';
import type { BackfillOptions } from '../backfill/BackfillRunner.ts';
import type { BackfillService } from '../backfill/BackfillService.ts';
import { createStores, type Stores } from '../store/index.ts';
import { createTestDatabase, type TestDatabase } from './testDatabase.ts';
import { signedWebhookHeaders } from './signedWebhookHeaders.ts';

export const TEST_API_KEY = 'test-api-key';
export const TEST_API_SECRET = 'test-api-secret-0123456789';

export const DEFAULT_RULESET = JSON.parse(readFileSync(new URL('../../rulesets/default.json', import.meta.url), 'utf8')) as Ruleset;

export interface TestApp {
  server: Server;
  db: TestDatabase;
  stores: Stores;
  config: Config;
  queue: JobQueue;
  intake: OrderIntake;
  backfill: BackfillService;
  /** Installs a shop with an offline token and a published ruleset. */
  installShop(shop: string, ruleset?: Ruleset, accessToken?: string): Promise<void>;
  /** Posts a webhook signed with the app secret (all five headers shopify-api requires). */
  webhook(topic: string, body: string | Buffer, options?: WebhookOptions): Promise<ServerInjectResponse>;
  /** A session token for a shop, as App Bridge would send it. */
  sessionToken(shop: string): Promise<string>;
  /** Polls until the check passes (jobs run asynchronously), failing after `timeoutMs`. */
  waitFor<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs?: number): Promise<T>;
  /**
   * Waits until no job of the scoring and action queues is queued (due now), retrying or running:
   * the work a test's webhooks started (decisions, revisions, ring links, actions) is done. Waits on
   * the work, not the clock; a test resets its tables only after it (a truncate racing a worker's
   * writes deadlocks).
   */
  idle(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface WebhookOptions {
  shop?: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  secret?: string;
  omitHeaders?: string[];
}

/**
 * The whole server on a fresh database of its own: real PostgreSQL, real pg-boss workers, the
 * real hapi app (driven with `server.inject`), Admin API calls going to `adminOrigin` (the test
 * double). Nothing of ours is mocked.
 */
export async function startTestApp(options: { adminOrigin?: string; env?: Record<string, string>; backfill?: BackfillOptions } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const config = loadConfig({
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: 'https://refundsentry.test',
    DATABASE_URL: db.url,
    LOG_LEVEL: 'silent',
    ...(options.adminOrigin ? { SHOPIFY_ADMIN_ORIGIN: options.adminOrigin } : {}),
    ...options.env,
  });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const stores = createStores(db.knex);
  const { server, queue, intake, backfill, plugins } = await composeApp({ config, stores, databaseUrl: db.url, log, defaultRuleset: DEFAULT_RULESET, fastRetries: true, backfill: { bulk: { pollMs: 20 }, ...options.backfill } });
  await server.initialize();

  return {
    server,
    db,
    stores,
    config,
    queue,
    intake,
    backfill,
    async installShop(shop, ruleset = DEFAULT_RULESET, accessToken = 'shpat_test_token') {
      await stores.shops.install(shop, accessToken, config.shopify.scopes.join(','));
      await stores.rulesets.ensurePublished(shop, ruleset);
    },
    webhook(topic, body, webhookOptions = {}) {
      const raw = typeof body === 'string' ? body : body.toString('utf8');
      const headers = signedWebhookHeaders(raw, {
        secret: webhookOptions.secret ?? TEST_API_SECRET,
        topic,
        shop: webhookOptions.shop ?? 'shop-a.myshopify.com',
        webhookId: webhookOptions.webhookId,
        eventId: webhookOptions.eventId,
        triggeredAt: webhookOptions.triggeredAt,
      });
      for (const name of webhookOptions.omitHeaders ?? []) delete headers[name];
      return server.inject({ method: 'POST', url: '/webhooks', headers, payload: raw });
    },
    async sessionToken(shop) {
      // getJwt appends .myshopify.com to a store name; its iss lacks Shopify's https:// (sessionAuth checks it against dest).
      return (await getJwt(shop.replace(/\.myshopify\.com$/, ''), TEST_API_KEY, TEST_API_SECRET, { iss: `https://${shop}/admin` })).token;
    },
    waitFor,
    async idle(timeoutMs = 60_000) {
      await waitFor(async () => {
        const { rows } = await db.knex.raw(
          `select count(*)::int as n from pgboss.job
            where name in ('refundsentry-score', 'refundsentry-score-batch', 'refundsentry-action')
              and (state in ('retry', 'active') or (state = 'created' and start_after <= now()))`,
        );
        return rows[0].n === 0;
      }, 'the scoring and action queues to be idle', timeoutMs);
    },
    async stop() {
      await server.stop();
      await queue.stop();
      await plugins.close();
      await db.drop();
    },
  };
}

/** Polls until the check passes (jobs run asynchronously), failing after `timeoutMs`. */
async function waitFor<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
