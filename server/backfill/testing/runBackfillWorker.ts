import { readFile } from 'node:fs/promises';
import { pino } from 'pino';
import type { Ruleset } from '../../../engine/index.ts';
import { composeApp } from '../../composeApp.ts';
import { loadConfig } from '../../config.ts';
import { createKnex } from '../../db/openDatabase.ts';
import { createStores } from '../../store/index.ts';
import { FileHistorySource } from '../FileHistorySource.ts';
import type { FetchStage, HistorySource, HistoryWindow } from '../HistorySource.ts';

/**
 * A backfill worker in a process of its own, for the kill-the-process test
 * (`backfillCrash.test.ts`): the real composition (pg-boss workers, the backfill job loop)
 * against the test's database. It starts the shop's backfill (`start`) or only resumes the
 * backfills under way as the server does after a restart (`resumeAll`), then runs until the
 * shop's backfill is settled, unless it is killed first.
 *
 * Each page read is announced to the parent over IPC, and waits for the parent's `go` before
 * reading: the read happens inside the step's transaction (row lock held, page not yet written),
 * so a parent that kills instead of answering kills the worker exactly mid-page.
 *
 *   node runBackfillWorker.ts '<json WorkerOptions>'   (spawned with an IPC channel)
 */
export interface WorkerOptions {
  databaseUrl: string;
  shop: string;
  /** Start the shop's backfill from this history file; without it, only resume. */
  start?: { path: string; days: number; to: string };
  pageSize: number;
  scorePageSize: number;
}

/** Messages to the parent. */
export type WorkerMessage =
  | { type: 'ready'; pid: number }
  | { type: 'read'; pid: number; seq: number; stage: FetchStage; cursor: string | null }
  | { type: 'settled'; pid: number; status: string };

/** The parent's answer to a `read`: go on with it. */
export interface GoMessage {
  type: 'go';
  seq: number;
}

const options = JSON.parse(process.argv[2] ?? '{}') as WorkerOptions;
const send = (message: WorkerMessage) => new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
const waiting = new Map<number, () => void>();
process.on('message', (message: GoMessage) => {
  if (message.type === 'go') waiting.get(message.seq)?.();
});
let seq = 0;

/** Announces a read and waits for the parent's go (at once without a parent). */
async function announceRead(stage: FetchStage, cursor: string | null): Promise<void> {
  if (!process.send) return;
  const mine = ++seq;
  const go = new Promise<void>((resolve) => waiting.set(mine, resolve));
  await send({ type: 'read', pid: process.pid, seq: mine, stage, cursor });
  await go;
  waiting.delete(mine);
}

class ReportingSource implements HistorySource {
  readonly description: string;
  private readonly inner: FileHistorySource;
  constructor(path: string) {
    this.inner = new FileHistorySource(path);
    this.description = `${this.inner.description} (worker ${process.pid})`;
  }
  async readPage(stage: FetchStage, cursor: string | null, window: HistoryWindow, pageSize: number) {
    await announceRead(stage, cursor);
    return this.inner.readPage(stage, cursor, window, pageSize);
  }
}

const knex = createKnex(options.databaseUrl);
const stores = createStores(knex);
const log = pino({ level: 'warn' }, pino.destination(2));
const config = loadConfig({ DATABASE_URL: options.databaseUrl, LOG_LEVEL: 'warn' });
const defaultRuleset = JSON.parse(await readFile(new URL('../../../rulesets/default.json', import.meta.url), 'utf8')) as Ruleset;
const { queue, backfill } = await composeApp({
  config,
  stores,
  databaseUrl: options.databaseUrl,
  log,
  defaultRuleset,
  backfill: {
    pageSize: options.pageSize,
    scorePageSize: options.scorePageSize,
    openSource: (source) => {
      if (source.kind !== 'file') throw new Error('file sources only in this worker');
      return new ReportingSource(source.path);
    },
  },
});
if (options.start) await backfill.start(options.shop, { kind: 'file', path: options.start.path }, { days: options.start.days, to: options.start.to });
await backfill.resumeAll();
await send({ type: 'ready', pid: process.pid });
for (;;) {
  const { status } = await backfill.progress(options.shop);
  if (status !== 'running') {
    await send({ type: 'settled', pid: process.pid, status });
    break;
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
}
await queue.stop();
await knex.destroy();
process.disconnect?.();
