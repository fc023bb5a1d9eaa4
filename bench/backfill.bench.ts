import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Ruleset } from '../engine/index.ts';
import { eventTime } from '../engine/history/index.ts';
import { readUciHistory } from '../scenarios/uciHistory.ts';
import { composeApp } from '../server/composeApp.ts';
import { loadConfig } from '../server/config.ts';
import { migrateLatest } from '../server/db/migrate.ts';
import { openDatabase } from '../server/db/openDatabase.ts';
import { createStores } from '../server/store/index.ts';
import { readFile } from 'node:fs/promises';

/**
 * The whole backfill of the real UCI Online Retail history (a year of a UK store's invoices and
 * cancellations), timed: the CSV converted to history JSONL, then a shop backfilled from it
 * through the file source by the real workers (pg-boss, embedded PostgreSQL), with a line per
 * stage as it finishes.
 *
 *   npm run bench:backfill -- [path to uci_online_retail.csv.gz]
 */
const csv = process.argv[2] ?? new URL('../../shared/data/uci_online_retail.csv.gz', import.meta.url).pathname;
const dir = await mkdtemp(join(tmpdir(), 'refundsentry-backfill-bench-'));
await chmod(dir, 0o755);
const config = loadConfig({ DATA_DIR: dir, EMBEDDED_PG_PORT: '54941', PORT: '3941', LOG_LEVEL: 'warn', DEMO_HISTORY: 'none' });
const log = pino({ level: 'warn' });
const database = await openDatabase({ dataDir: dir, embeddedPort: config.embeddedPostgresPort, log: (m) => log.warn(m) });
try {
  await migrateLatest(database.knex);
  const stores = createStores(database.knex);
  const ruleset = JSON.parse(await readFile(new URL('../rulesets/default.json', import.meta.url), 'utf8')) as Ruleset;
  const { queue, backfill } = await composeApp({ config, stores, databaseUrl: database.url, log, defaultRuleset: ruleset });

  let t = performance.now();
  const history = await readUciHistory(csv);
  const path = join(dir, 'uci.jsonl');
  await writeFile(path, history.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const times = history.events.map((e) => Date.parse(eventTime(e))).filter((x) => x > 0);
  const last = Math.max(...times);
  console.log(`UCI → history JSONL: ${history.stats.orders} orders, ${history.stats.returns} returns, ${history.stats.refunds} refunds, ${history.stats.customers} customers (${history.events.length} records) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const shop = 'uci-online-retail.myshopify.com';
  await stores.shops.install(shop, null, null);
  await stores.rulesets.ensurePublished(shop, ruleset);
  t = performance.now();
  await backfill.start(shop, { kind: 'file', path }, { days: 400, to: new Date(last + 1000).toISOString() });
  const reported = new Set<string>();
  for (;;) {
    const progress = await backfill.progress(shop);
    for (const stage of progress.stages) {
      if ((stage.status === 'done' || stage.status === 'failed') && !reported.has(stage.stage)) {
        reported.add(stage.stage);
        console.log(`  ${stage.stage.padEnd(12)} ${stage.status.padEnd(6)} ${String(stage.processed).padStart(7)} records  ${String(stage.pages).padStart(4)} pages  at ${((performance.now() - t) / 1000).toFixed(1)} s${stage.error ? `  ${stage.error}` : ''}`);
      }
    }
    if (progress.status !== 'running') {
      const seconds = (performance.now() - t) / 1000;
      const decisions = Number((await stores.db('decisions').where({ shop_id: shop }).count('* as n').first())!.n);
      console.log(`backfill ${progress.status} in ${seconds.toFixed(1)} s: ${history.events.length} records stored and ${decisions} decisions (${Math.round((history.events.length + decisions) / seconds)} events/s, ${Math.round(decisions / seconds)} decisions/s)  (goal: <= 60 s)`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await queue.stop();
} finally {
  await database.close();
  await rm(dir, { recursive: true, force: true });
}
