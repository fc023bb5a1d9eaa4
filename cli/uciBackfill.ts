import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Ruleset } from '../engine/index.ts';
import { eventTime } from '../engine/history/index.ts';
import { readUciHistory, UCI_COLUMNS, type UciHistory } from '../scenarios/uciHistory.ts';
import type { BackfillProgress, StageProgress } from '../server/backfill/BackfillService.ts';
import type { Stores } from '../server/store/index.ts';
import { CliInputError } from './loadRuleset.ts';

/**
 * What `refundsentry import-uci` and `npm run bench:backfill` share: the UCI Online Retail CSV
 * converted to history JSONL, the shop prepared for a backfill, the progress lines printed while
 * it runs, and the summary at the end.
 */

const DAY = 86_400_000;

export interface ConvertedHistory {
  path: string;
  records: number;
  stats: UciHistory['stats'];
  /** The first and last record times (ms), customers' sign-ups included. */
  first: number;
  last: number;
  seconds: number;
}

/**
 * Converts the UCI CSV (gzip) to history JSONL at `out` (written beside it, then renamed, so a
 * backfill never reads half a file). A missing or unreadable file, or one without UCI invoices,
 * is a `CliInputError` naming it.
 */
export async function convertUciHistory(csv: string, out: string): Promise<ConvertedHistory> {
  const started = performance.now();
  await assertReadableFile(csv, 'UCI CSV');
  let history: UciHistory;
  try {
    history = await readUciHistory(csv);
  } catch (e) {
    throw new CliInputError(`cannot read ${csv} as the gzip UCI Online Retail CSV: ${(e as Error).message}`);
  }
  if (history.stats.orders === 0) throw new CliInputError(`${csv} has no UCI invoices: expected a gzip CSV with the header ${UCI_COLUMNS.join(',')}`);
  const times = history.events.map((e) => Date.parse(eventTime(e))).filter((t) => t > 0);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(`${out}.partial`, history.events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  await rename(`${out}.partial`, out);
  return {
    path: out,
    records: history.events.length,
    stats: history.stats,
    first: Math.min(...times),
    last: Math.max(...times),
    seconds: (performance.now() - started) / 1000,
  };
}

export async function assertReadableFile(path: string, what: string): Promise<void> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    throw new CliInputError(e.code === 'ENOENT' ? `${what} file not found: ${path}` : `cannot read ${what} file ${path}: ${e.message}`);
  });
  if (!info.isFile()) throw new CliInputError(`${what} ${path} is not a file`);
}

export function conversionLine(converted: ConvertedHistory): string {
  const s = converted.stats;
  const left = s.unlinkedCancellations + s.guestCancellations;
  return `UCI → history JSONL: ${n(s.orders)} orders, ${n(s.returns)} returns, ${n(s.refunds)} refunds, ${n(s.customers)} customers (${n(converted.records)} records) in ${converted.seconds.toFixed(1)} s${left > 0 ? `; ${n(left)} cancellations left out (no customer or no earlier purchase)` : ''}`;
}

/** The window `BackfillService.start` takes: the last `days` days up to just after the last record, or the whole history. */
export function historyWindow(converted: Pick<ConvertedHistory, 'first' | 'last'>, days?: number): { days: number; to: string } {
  const to = converted.last + 1000;
  return { days: days ?? Math.ceil((to - converted.first) / DAY) + 1, to: new Date(to).toISOString() };
}

export async function loadDefaultRuleset(): Promise<Ruleset> {
  return JSON.parse(await readFile(new URL('../rulesets/default.json', import.meta.url), 'utf8')) as Ruleset;
}

/** A shop to backfill: installed without a token when it is new (an installed shop keeps its token), with a published ruleset. */
export async function prepareShop(stores: Stores, shop: string, ruleset: Ruleset): Promise<void> {
  if (!(await stores.shops.get(shop))) await stores.shops.install(shop, null, null);
  await stores.rulesets.ensurePublished(shop, ruleset);
}

export interface WatchOptions {
  /** How often progress is read (ms). */
  intervalMs?: number;
  /** Lines for a running stage as it advances (off: a line per finished stage only). */
  progressLines?: boolean;
  /** Stops watching (the backfill itself goes on wherever it runs). */
  signal?: AbortSignal;
  /** Stages already done before this run (a resumed backfill): listed as such, without a duration. */
  doneBefore?: readonly string[];
}

export interface WatchResult {
  progress: BackfillProgress;
  /** From the first look until the backfill settled (or the watch stopped). */
  seconds: number;
  /** Per stage that finished during the watch: its wall time, as observed (to the polling interval). */
  durations: Map<string, number>;
}

/**
 * Follows a shop's backfill until it is no longer running, writing a line whenever the running
 * stage has advanced noticeably (another tenth of its total, or 10 s since its last line), and a
 * line per stage when it is done (records, pages, its duration, the time since the start) or
 * failed (its error).
 */
export async function watchBackfill(
  backfill: { progress(shopId: string): Promise<BackfillProgress> },
  shop: string,
  write: (line: string) => void,
  options: WatchOptions = {},
): Promise<WatchResult> {
  const interval = options.intervalMs ?? 200;
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const durations = new Map<string, number>();
  const reported = new Set<string>();
  const lastLine = new Map<string, { tenth: number; at: number; processed: number }>();
  /** When the stage under way began, as observed: the start, or when the stage before it was seen done. */
  let stageStart = 0;
  for (;;) {
    const progress = await backfill.progress(shop);
    const now = elapsed();
    for (const stage of progress.stages) {
      if (reported.has(stage.stage)) continue;
      if (stage.status === 'done') {
        reported.add(stage.stage);
        if (options.doneBefore?.includes(stage.stage)) {
          write(`  ${stage.stage.padEnd(12)} done   ${n(stage.processed).padStart(9)} records  ${String(stage.pages).padStart(4)} pages  (before this run)`);
          continue;
        }
        durations.set(stage.stage, now - stageStart);
        write(`  ${stage.stage.padEnd(12)} done   ${n(stage.processed).padStart(9)} records  ${String(stage.pages).padStart(4)} pages  in ${(now - stageStart).toFixed(1)} s  (at ${now.toFixed(1)} s)`);
        stageStart = now;
        continue;
      }
      if (stage.status === 'failed' || stage.status === 'paused') {
        reported.add(stage.stage);
        write(`  ${stage.stage.padEnd(12)} ${stage.status.padEnd(6)} ${n(stage.processed).padStart(9)} records  after ${stage.attempts} attempt(s): ${stage.error ?? 'no error recorded'}`);
        break;
      }
      if (options.progressLines !== false && stage.status === 'running' && stage.processed > 0) {
        const line = progressLine(stage);
        const tenth = stage.total ? Math.floor((10 * stage.processed) / stage.total) : 0;
        const last = lastLine.get(stage.stage);
        if (!last || tenth > last.tenth || (now - last.at >= 10 && stage.processed > last.processed)) {
          write(line);
          lastLine.set(stage.stage, { tenth, at: now, processed: stage.processed });
        }
      }
      break; // stages run in order: nothing after the one under way has started
    }
    if (progress.status !== 'running' || options.signal?.aborted) return { progress, seconds: elapsed(), durations };
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** `orders       12,000/25,900 (46%)  ETA 12s` */
export function progressLine(stage: StageProgress): string {
  const head = `  ${stage.stage.padEnd(12)} `;
  if (!stage.total) return `${head}${n(stage.processed)} records`;
  const percent = Math.floor((100 * stage.processed) / stage.total);
  return `${head}${n(stage.processed)}/${n(stage.total)} (${percent}%)${stage.etaSeconds !== null ? `  ETA ${stage.etaSeconds}s` : ''}`;
}

export interface BackfillSummary {
  status: BackfillProgress['status'];
  /** The shop's stored records (customers included) and decisions. */
  records: number;
  decisions: number;
  seconds: number;
  /** What each stage reports it processed. */
  perStage: Record<string, number>;
  /** Resumed from checkpoints: the counts include work done before this run, so no rates. */
  resumed: boolean;
}

export function summarize(progress: BackfillProgress, stored: { records: number; decisions: number }, seconds: number, resumed = false): BackfillSummary {
  const perStage = Object.fromEntries(progress.stages.map((s) => [s.stage, s.processed]));
  return { status: progress.status, records: stored.records, decisions: stored.decisions, seconds, perStage, resumed };
}

/**
 * `backfill done in 41.2 s: 31,866 records stored, 27,528 decisions (1,442 events/s, 668 decisions/s)`
 * then what each stage processed.
 */
export function summaryLines(summary: BackfillSummary): string[] {
  const seconds = Math.max(summary.seconds, 0.001);
  const rates = summary.resumed
    ? ' in all (resumed: part of them before this run)'
    : ` (${n(Math.round((summary.records + summary.decisions) / seconds))} events/s, ${n(Math.round(summary.decisions / seconds))} decisions/s)`;
  return [
    `backfill ${summary.status} in ${summary.seconds.toFixed(1)} s: ${n(summary.records)} records stored, ${n(summary.decisions)} decisions${rates}`,
    `  records per stage: ${Object.entries(summary.perStage)
      .map(([stage, count]) => `${stage} ${n(count)}`)
      .join(', ')}`,
  ];
}

/** The shop's stored records (events of every kind) and decisions. */
export async function countStored(stores: Stores, shop: string): Promise<{ records: number; decisions: number }> {
  const count = async (table: string) => Number((await stores.db(table).where({ shop_id: shop }).count('* as n').first())!.n);
  return { records: await count('events'), decisions: await count('decisions') };
}

/** 12,345 */
export function n(value: number): string {
  return value.toLocaleString('en-US');
}
