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
