import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinSignals } from '../signals/index.ts';
import { main } from './main.ts';

const root = new URL('..', import.meta.url).pathname;
const defaultRuleset = join(root, 'rulesets/default.json');
const events = join(root, 'rulesets/examples/events.jsonl');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const sink = (append: (s: string) => void) => new Writable({ write: (chunk, _enc, done) => (append(String(chunk)), done()) });
  const code = await main(argv, sink((s) => (stdout += s)), sink((s) => (stderr += s)));
  return { code, stdout, stderr };
}

describe('refundsentry validate', () => {
  it('accepts the default ruleset', async () => {
    const { code, stdout } = await run('validate', defaultRuleset);
    expect(code).toBe(0);
    expect(stdout).toContain('0 error(s), 0 warning(s)');
  });

  it('prints each problem with its pointer and exits 1', async () => {
    const file = join(dir, 'bad.json');
    const body = JSON.parse(await readFile(defaultRuleset, 'utf8'));
    body.zones = { medium: 80, high: 50 };
    body.signals['velocity.return-rat'] = {};
    await writeFile(file, JSON.stringify(body));
    const { code, stderr } = await run('validate', file);
    expect(code).toBe(1);
    expect(stderr).toContain('error /signals/velocity.return-rat: unknown signal "velocity.return-rat"; did you mean "velocity.return-rate"?');
    expect(stderr).toContain('error /zones/high: the HIGH zone must start above the MEDIUM zone');
  });

  it('names a missing or unparsable file and exits 2', async () => {
    expect(await run('validate', join(dir, 'nope.json'))).toMatchObject({ code: 2, stderr: expect.stringContaining('ruleset file not found') });
    const file = join(dir, 'broken.json');
    await writeFile(file, '{ "id": ');
    expect(await run('validate', file)).toMatchObject({ code: 2, stderr: expect.stringContaining('is not valid JSON') });
  });
});

describe('refundsentry score', () => {
  it('prints one decision per event as JSONL', async () => {
    const { code, stdout, stderr } = await run('score', '--ruleset', defaultRuleset, '--in', events);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const decisions = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(decisions).toHaveLength(6);
    expect(decisions.map((d) => d.subject.kind)).toEqual(['order', 'order', 'order', 'return', 'refund', 'return']);
    for (const d of decisions) {
      expect(d.schema).toBe('refundsentry.decision/1');
      expect(d.signals.reduce((sum: number, s: { points: number }) => sum + Math.round(s.points * 100), 0)).toBe(Math.round(d.score * 100));
    }
  });

  it('reports bad lines by number and still scores the good ones', async () => {
    const lines = (await readFile(events, 'utf8')).trim().split('\n');
    const withSubjectNumber = JSON.parse(lines[1]);
    withSubjectNumber.subject.id = 4783296544821;
    const file = join(dir, 'mixed.jsonl');
    await writeFile(file, [lines[0], '{not json', JSON.stringify(withSubjectNumber), '', lines[2]].join('\n'));
    const { code, stdout, stderr } = await run('score', '--ruleset', defaultRuleset, '--in', file);
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toHaveLength(2);
    expect(stderr).toContain(`${file}:2: not valid JSON`);
    expect(stderr).toContain(`${file}:3: subject.id must be a string (a Shopify GID, never a number)`);
  });

  it('refuses an invalid ruleset before reading events', async () => {
    const file = join(dir, 'invalid-ruleset.json');
    await writeFile(file, JSON.stringify({ id: 'x', version: 1, appliesTo: ['order'], zones: { medium: 1, high: 2 }, signals: { 'nope.nope': {} } }));
    const { code, stderr } = await run('score', '--ruleset', file, '--in', events);
    expect(code).toBe(2);
    expect(stderr).toContain('/signals/nope.nope: unknown signal');
  });

  it('explains its usage when arguments are missing or unknown', async () => {
    expect(await run('score', '--in', events)).toMatchObject({ code: 2, stderr: expect.stringContaining('score needs --ruleset') });
    expect(await run('score', '--rules', 'x')).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--rules'") });
    expect(await run('frobnicate')).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
  });
});

describe('the bin entry point', () => {
  it('runs under the pinned Node as `npx refundsentry` does', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bin/refundsentry.js'), 'signals']);
    const ids = stdout.split('\n').filter(Boolean).map((line) => line.split('\t')[0]);
    expect(ids).toEqual(builtinSignals.map((s) => s.meta.id));
    expect(ids).toContain('velocity.return-rate');
  });
});

describe('refundsentry replay', () => {
  it('scores a generated history point-in-time and reports bad lines by number', async () => {
    const { generateShop } = await import('../scenarios/generateShop.ts');
    const shop = generateShop({ seed: 3, customers: 20, days: 120 });
    const lines = shop.events.map((e) => JSON.stringify(e));
    lines.splice(3, 0, '{"type":"order","order":{"id":123}}', '{"type":"wish"}');
    const file = join(dir, 'history.jsonl');
    await writeFile(file, lines.join('\n'));
    const { code, stdout, stderr } = await run('replay', '--ruleset', defaultRuleset, '--history', file);
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}:4: order.id must be a string (a Shopify GID, never a number)`);
    expect(stderr).toContain(`${file}:5: type must be one of customer, transaction, risk, order, fulfillment, return, refund, chargeback, outcome`);
    const decisions = stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(decisions).toHaveLength(shop.labels.length);
    const times = decisions.map((d) => Date.parse(d.subject.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});

describe('refundsentry fit', () => {
  it('fits weights and zones per kind to the history and a labels file, writes a valid draft and prints the held-out report', async () => {
    const { generateShop, ABUSIVE_PATTERNS } = await import('../scenarios/generateShop.ts');
    const shop = generateShop({ seed: 5, customers: 300 });
    const history = join(dir, 'fit-history.jsonl');
    await writeFile(history, shop.events.map((e) => JSON.stringify(e)).join('\n'));
    // The merchant's verdicts on returns and refunds (abusive or not); one line is malformed.
    const labels = join(dir, 'fit-labels.jsonl');
    const verdicts = shop.labels
      .filter((l) => l.kind !== 'order' && (!ABUSIVE_PATTERNS.has(l.pattern) || l.target))
      .map((l) => JSON.stringify({ subjectId: l.subjectId, label: ABUSIVE_PATTERNS.has(l.pattern) ? 'fraud' : 'legit' }));
    await writeFile(labels, [...verdicts, '{"subjectId":"gid://shopify/Return/1","label":"maybe"}'].join('\n'));
    const out = join(dir, 'fit-draft.json');
    const reportFile = join(dir, 'fit-report.json');
    const { code, stdout, stderr } = await run('fit', '--history', history, '--labels', labels, '--out', out, '--report', reportFile);
    expect(stderr).toBe(`${labels}:${verdicts.length + 1}: label must be "fraud" or "legit"\n`);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^replayed \d+ subjects of .* with default v1 .*; labelled \d+: orders \d+ fraud\/abuse \+ \d+ legit, returns \d+ fraud\/abuse \+ \d+ legit, refunds/);
    expect(stdout).toMatch(/\nsplit: /);
    expect(stdout).toMatch(/\nreturns: zones MEDIUM [\d.]+ HIGH [\d.]+ \(were 31\/66\)/);
    expect(stdout).toMatch(/held out {3}live {3}AUC [\d.]+, HIGH \d+/);
    expect(stdout).toContain(`draft written to ${out}`);
    const draft = JSON.parse(await readFile(out, 'utf8'));
    const report = JSON.parse(await readFile(reportFile, 'utf8'));
    const fitted = report.kinds.filter((k: { weights?: unknown }) => k.weights).map((k: { kind: string }) => k.kind);
    expect(fitted).toContain('return');
    expect(Object.keys(draft.zones.byKind).sort()).toEqual([...fitted].sort());
    expect(draft.description).toMatch(/\nFitted by RefundSentry to /);
    expect(report.heldOut.return.fitted.high.precision).toBeGreaterThanOrEqual(0.9);
    expect(await run('validate', out)).toMatchObject({ code: 0, stdout: expect.stringContaining('0 error(s), 0 warning(s)') });
    // Deterministic: the same history and labels give the same draft.
    const again = join(dir, 'fit-draft-again.json');
    await run('fit', '--history', history, '--labels', labels, '--out', again);
    expect(await readFile(again, 'utf8')).toBe(await readFile(out, 'utf8'));
  }, 60_000);

  it('refuses with the counts per kind when the history has too few labels (exit 1), and explains bad usage (exit 2)', async () => {
    const { generateShop } = await import('../scenarios/generateShop.ts');
    const history = join(dir, 'fit-small.jsonl');
    await writeFile(history, generateShop({ seed: 3, customers: 20, days: 120 }).events.map((e) => JSON.stringify(e)).join('\n'));
    const refused = await run('fit', '--history', history);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^refundsentry: not fitted: no kind of subject has enough labels to fit \(at least 20 fraud\/abuse and 20 legit each\): order: \d+ fraud\/abuse and \d+ legit order labels; at least 20 of each are needed; return: 0 fraud\/abuse/);
    expect(await run('fit')).toMatchObject({ code: 2, stderr: expect.stringContaining('fit needs --history') });
    expect(await run('fit', '--history', history, '--split', 'random')).toMatchObject({ code: 2, stderr: expect.stringContaining('--split must be auto, time or customer') });
    expect(await run('fit', '--history', history, '--high-precision', '2')).toMatchObject({ code: 2, stderr: expect.stringContaining('--high-precision must be a number from 0.01 to 1') });
    expect(await run('fit', '--history', join(dir, 'missing.jsonl'))).toMatchObject({ code: 2, stderr: expect.stringContaining('history file not found') });
  });
});
