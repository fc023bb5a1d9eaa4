import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { conversionLine, convertUciHistory, countStored, historyWindow, loadDefaultRuleset, prepareShop, summarize, summaryLines, watchBackfill } from '../cli/uciBackfill.ts';
import { composeApp } from '../server/composeApp.ts';
import { loadConfig } from '../server/config.ts';
import { migrateLatest } from '../server/db/migrate.ts';
import { openDatabase } from '../server/db/openDatabase.ts';
import { createStores } from '../server/store/index.ts';

/**
 * The whole backfill of the real UCI Online Retail history (a year of a UK store's invoices and
 * cancellations), timed: the CSV converted to history JSONL, then a shop backfilled from it
 * through the file source by the real workers (pg-boss, embedded PostgreSQL in a temp folder),
 * with progress lines and a line per stage as it finishes. The conversion, the progress lines
 * and the summary are `refundsentry import-uci`'s (cli/uciBackfill.ts).
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
  const ruleset = await loadDefaultRuleset();
  const { queue, backfill } = await composeApp({ config, stores, databaseUrl: database.url, log, defaultRuleset: ruleset });

  const converted = await convertUciHistory(csv, join(dir, 'uci.jsonl'));
  console.log(conversionLine(converted));

  const shop = 'uci-online-retail.myshopify.com';
  await prepareShop(stores, shop, ruleset);
  await backfill.start(shop, { kind: 'file', path: converted.path }, historyWindow(converted));
  const watched = await watchBackfill(backfill, shop, (line) => console.log(line));
  const [headline, ...rest] = summaryLines(summarize(watched.progress, await countStored(stores, shop), watched.seconds));
  console.log(`${headline}  (goal: <= 60 s)`);
  for (const line of rest) console.log(line);
  await queue.stop();
} finally {
  await database.close();
  await rm(dir, { recursive: true, force: true });
}
