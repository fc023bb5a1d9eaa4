import { describe, expect, it } from 'vitest';
import type { BackfillProgress, StageProgress } from '../server/backfill/BackfillService.ts';
import { BACKFILL_STAGES } from '../server/backfill/HistorySource.ts';
import { historyWindow, progressLine, summarize, summaryLines, watchBackfill } from './uciBackfill.ts';

const stage = (name: string, status: StageProgress['status'], processed = 0, total: number | null = null, etaSeconds: number | null = null): StageProgress => ({
  stage: name,
  status,
  pages: Math.ceil(processed / 1000),
  processed,
  total,
  error: null,
  attempts: 0,
  startedAt: null,
  finishedAt: null,
  etaSeconds,
});

/** A backfill whose progress reads follow a script: the stages before `at` done, `at` with these records. */
function scripted(steps: { at: string; processed?: number; total?: number; eta?: number; status?: BackfillProgress['status'] }[]) {
  let i = 0;
  return {
    async progress(): Promise<BackfillProgress> {
      const step = steps[Math.min(i++, steps.length - 1)]!;
      const at = BACKFILL_STAGES.indexOf(step.at as never);
      const stages = BACKFILL_STAGES.map((name, position) =>
        position < at || step.status === 'done' ? stage(name, 'done', 10, 10) : position === at ? stage(name, step.status === 'failed' ? 'failed' : 'running', step.processed ?? 0, step.total ?? null, step.eta ?? null) : stage(name, 'pending'),
      );
      if (step.status === 'failed') stages[at] = { ...stages[at]!, error: 'history file not found: /x', attempts: 1 };
      return { status: step.status ?? 'running', source: null, window: null, stages, etaSeconds: null, next: null } as BackfillProgress;
    },
  };
}

describe('the backfill progress lines', () => {
  it('formats a running stage with its share and ETA', () => {
    expect(progressLine(stage('orders', 'running', 12_000, 25_900, 12))).toBe('  orders       12,000/25,900 (46%)  ETA 12s');
    expect(progressLine(stage('scoring', 'running', 250, null))).toBe('  scoring      250 records');
  });

  it('writes a line when a stage advances by another tenth, and one per stage when it is done, with its duration', async () => {
    const lines: string[] = [];
    const backfill = scripted([
      { at: 'orders', processed: 1_000, total: 25_900, eta: 30 },
      { at: 'orders', processed: 2_000, total: 25_900, eta: 28 }, // same tenth: no line
      { at: 'orders', processed: 3_000, total: 25_900, eta: 26 },
      { at: 'scoring', processed: 500, total: 1_000, eta: 1 },
      { at: 'scoring', status: 'done' },
    ]);
    const watched = await watchBackfill(backfill, 'shop', (line) => lines.push(line), { intervalMs: 1 });
    expect(watched.progress.status).toBe('done');
    expect(lines[0]).toBe('  orders       1,000/25,900 (3%)  ETA 30s');
    expect(lines[1]).toBe('  orders       3,000/25,900 (11%)  ETA 26s');
    expect(lines.slice(2, 9).map((l) => l.split(/ +/)[1])).toEqual(['orders', 'fulfillments', 'returns', 'refunds', 'chargebacks', 'aging', 'baseline']);
    expect(lines[2]).toMatch(/^ {2}orders {7}done +10 records {5}1 pages {2}in \d+\.\d s {2}\(at \d+\.\d s\)$/);
    expect(lines[9]).toBe('  scoring      500/1,000 (50%)  ETA 1s');
    expect(lines[10]).toMatch(/^ {2}scoring +done/);
    expect(lines).toHaveLength(11);
    expect([...watched.durations.keys()]).toEqual([...BACKFILL_STAGES]);
  });

  it('names a failed stage with its error, and lists the stages done before a resumed run without a duration', async () => {
    const lines: string[] = [];
    await watchBackfill(scripted([{ at: 'returns', status: 'failed' }]), 'shop', (line) => lines.push(line), { intervalMs: 1, doneBefore: ['orders', 'fulfillments'] });
    expect(lines).toEqual([
      '  orders       done          10 records     1 pages  (before this run)',
      '  fulfillments done          10 records     1 pages  (before this run)',
      '  returns      failed         0 records  after 1 attempt(s): history file not found: /x',
    ]);
  });
});

describe('the summary', () => {
  it('counts the stored records, the decisions and the rates (none for a resumed run)', async () => {
    const { progress } = await watchBackfill(scripted([{ at: 'orders', status: 'done' }]), 'shop', () => {}, { intervalMs: 1 });
    const lines = summaryLines(summarize(progress, { records: 50, decisions: 8 }, 2));
    expect(lines[0]).toBe('backfill done in 2.0 s: 50 records stored, 8 decisions (29 events/s, 4 decisions/s)');
    expect(lines[1]).toBe('  records per stage: orders 10, fulfillments 10, returns 10, refunds 10, chargebacks 10, aging 10, baseline 10, scoring 10');
    expect(summaryLines(summarize(progress, { records: 50, decisions: 8 }, 2, true))[0]).toBe('backfill done in 2.0 s: 50 records stored, 8 decisions in all (resumed: part of them before this run)');
  });

  it('windows the whole history by default, or the last N days', () => {
    const first = Date.parse('2010-12-01T08:26:00Z');
    const last = Date.parse('2011-12-09T12:50:00Z');
    expect(historyWindow({ first, last })).toEqual({ days: 375, to: '2011-12-09T12:50:01.000Z' });
    expect(historyWindow({ first, last }, 30)).toEqual({ days: 30, to: '2011-12-09T12:50:01.000Z' });
  });
});
