import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { migrateLatest } from './db/migrate.ts';
import { openDatabase, type Database } from './db/openDatabase.ts';
import type { Ruleset } from '../engine/index.ts';
import { composeApp } from './composeApp.ts';
import { sweepPendingActions, sweepUnscoredSubjects } from './jobs/startWorkers.ts';
import { createStores } from './store/index.ts';

/**
 * The composition root: configuration → database (embedded unless DATABASE_URL) → migrations →
 * pg-boss → workers → hapi. SIGINT/SIGTERM stop it in reverse order, letting running jobs finish.
 */
export interface RunningApp {
  url: string;
  config: Config;
  stop(): Promise<void>;
}

export async function startRefundSentry(env: NodeJS.ProcessEnv = process.env): Promise<RunningApp> {
  const config = loadConfig(env);
  const log = pino({ level: config.logLevel });
  const database: Database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embeddedPort: config.embeddedPostgresPort, log: (m) => log.warn(m) });
  const applied = await migrateLatest(database.knex);
  if (applied.length) log.info({ applied }, 'migrations applied');
  const stores = createStores(database.knex);
  const defaultRuleset = JSON.parse(await readFile(new URL('../rulesets/default.json', import.meta.url), 'utf8')) as Ruleset;
  if (config.demoMode) {
    await stores.shops.install(config.demoShop, null, null);
    await stores.rulesets.ensurePublished(config.demoShop, defaultRuleset);
  }
  const { server, queue } = await composeApp({ config, stores, databaseUrl: database.url, log, defaultRuleset });
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
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(sweeper);
        await server.stop({ timeout: 10_000 });
        await queue.stop();
        await database.close();
      })()),
  };
}

if (import.meta.main) {
  try {
    const app = await startRefundSentry();
    console.log(`RefundSentry is listening on ${app.url}${app.config.demoMode ? ` (demo mode: shop ${app.config.demoShop}; see README)` : ''}`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
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
