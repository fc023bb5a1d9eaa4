import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { compileRuleset, createRegistry, type Ruleset } from '../engine/index.ts';
import { makeOrder, orderContext, returnContext } from '../sdk/testing/index.ts';
import { builtinSignals } from '../signals/index.ts';
import { PluginHost } from './PluginHost.ts';

const here = new URL('.', import.meta.url).pathname;
const example = join(here, '../examples/high-risk-postcodes');
const fixture = (name: string) => join(here, 'fixtures', name);
const builtinIds = builtinSignals.map((s) => s.meta.id);

/** The default ruleset with the given plugin signals added at weight 10 (params for the example). */
function withPlugins(ids: string[]): Ruleset {
  const ruleset = structuredClone(defaultRuleset) as Ruleset;
  for (const id of ids) ruleset.signals[id] = { weight: 10, ...(id === 'acme.high-risk-postcode' ? { params: { areas: [{ country: 'GB', prefix: 'E1' }] } } : {}) };
  return ruleset;
}

const order = (tags: string[], postcodePrefix = 'SW1A') => makeOrder({ tags, totalPrice: 80, shippingAddress: { countryCode: 'GB', postcodePrefix } });

describe('loading plugins', () => {
  let host: PluginHost;
  beforeAll(async () => {
    host = await PluginHost.load(
      [example, fixture('misbehaving'), fixture('bad-manifest'), fixture('incompatible-sdk'), fixture('clashing'), fixture('load-error'), fixture('imports-network'), './no-such-plugin', 'not-installed-plugin'],
      { builtinIds, baseDir: here, limits: { timeBudgetMs: 200, memoryMb: 32 } },
    );
  });
  afterAll(() => host.close());

  it('loads the good plugins, refuses each broken one with the reason, and keeps going', () => {
    const reports = host.reports();
    const byName = (spec: string) => reports.find((r) => r.spec === spec)!;
    expect(reports.map((r) => r.status)).toEqual(['loaded', 'loaded', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed', 'failed']);
    expect(byName(example)).toMatchObject({ name: '@acme/refundsentry-high-risk-postcodes', version: '1.0.0', signalIds: ['acme.high-risk-postcode'] });
    expect(byName(fixture('bad-manifest')).error).toMatch(/refundsentry: missing "sdk".*refundsentry\/signals: must be object/);
    expect(byName(fixture('incompatible-sdk')).error).toBe('fixture-incompatible-sdk needs @refundsentry/sdk ^2.0.0; this RefundSentry provides sdk 1.0.0');
    expect(byName(fixture('clashing')).error).toMatch(/velocity\.return-rate is already registered by a built-in signal; acme\.high-risk-postcode is already registered by plugin @acme\/refundsentry-high-risk-postcodes/);
    expect(byName(fixture('load-error')).error).toMatch(/fixture-load-error failed to load: SignalDefinitionError: Signal "loaderror.bad-meta" is not valid:\n {2}meta\/category: missing required property "category"\n {2}meta\/defaultWeight: must be <= 100$/);
    expect(byName(fixture('imports-network')).error).toMatch(/plugins may not import "node:https"/);
    expect(byName('./no-such-plugin').error).toMatch(/plugin directory .*no-such-plugin does not exist/);
    expect(byName('not-installed-plugin').error).toMatch(/"not-installed-plugin" is not installed \(npm install not-installed-plugin\)/);
  });

  it('registers the plugin signals beside the built-ins, with their meta and origin', () => {
    const registry = createRegistry([...builtinSignals, ...host.signals]);
    expect(registry.get('acme.high-risk-postcode')?.meta).toMatchObject({ title: 'Ships to a high-risk postcode', appliesTo: ['order', 'return', 'refund'], defaultWeight: 20 });
    expect(host.pluginOf('acme.high-risk-postcode')).toEqual({ name: '@acme/refundsentry-high-risk-postcodes', version: '1.0.0' });
    expect(host.pluginOf('velocity.return-rate')).toBeUndefined();
    expect(host.signals.map((s) => s.meta.id).sort()).toEqual(['acme.high-risk-postcode', 'misbehaving.bad-strength', 'misbehaving.hangs', 'misbehaving.memory-hog', 'misbehaving.mutates-context', 'misbehaving.reads-undeclared', 'misbehaving.throws', 'misbehaving.well-behaved']);
  });

  it('runs the example plugin off the main thread with the ruleset params, live and for returns', () => {
    const registry = createRegistry([...builtinSignals, ...host.signals]);
    const compiled = compileRuleset(withPlugins(['acme.high-risk-postcode']), registry);
    const hit = compiled.decide(orderContext(order([], 'E1W')));
    const line = hit.signals.find((s) => s.id === 'acme.high-risk-postcode')!;
    expect(line).toMatchObject({ status: 'hit', strength: 1, points: 10, message: 'Ships to GB E1W, listed as high risk (E1).', evidence: { country: 'GB', postcode: 'E1W', prefix: 'E1' } });
    const quiet = compiled.decide(returnContext(undefined, order([], 'SW1A')));
    expect(quiet.signals.find((s) => s.id === 'acme.high-risk-postcode')).toMatchObject({ status: 'no_hit', points: 0, message: 'GB SW1A is not on the high-risk list.' });
    // Bad params are refused when the ruleset compiles, as for built-ins.
    const bad = withPlugins(['acme.high-risk-postcode']);
    bad.signals['acme.high-risk-postcode'] = { weight: 10, params: { areas: [{ country: 'Britain', prefix: 'E1' }] } };
    expect(() => compileRuleset(bad, registry)).toThrow(/acme\.high-risk-postcode[\s\S]*areas\/0\/country/);
  });

  it('turns each kind of misbehaviour into an error for that signal only; the decision completes', () => {
    const registry = createRegistry([...builtinSignals, ...host.signals]);
    const ids = host.signals.map((s) => s.meta.id);
    const compiled = compileRuleset(withPlugins(ids), registry);
    const expectations: [string, RegExp][] = [
      ['throws', /RangeError: boom in plugin code/],
      ['bad-strength', /misbehaving\.bad-strength returned a malformed result: strength must be a number from 0 to 1; got 7/],
      ['mutates-context', /TypeError: Cannot assign to read only property 'totalPrice'/],
      ['hangs', /no answer within 200 ms: the plugin's worker was stopped/],
      ['memory-hog', /no answer within 200 ms/],
      ['reads-undeclared', /TypeError: Cannot read properties of undefined \(reading 'orders'\)/],
    ];
    for (const [tag, reason] of expectations) {
      const decision = compiled.decide(orderContext(order([tag], 'E1W')));
      const lines = new Map(decision.signals.map((s) => [s.id, s]));
      expect(lines.get(`misbehaving.${tag}`), tag).toMatchObject({ status: 'error', points: 0 });
      expect(lines.get(`misbehaving.${tag}`)!.message, tag).toMatch(reason);
      // Every other plugin signal still answered (those called after a stopped worker restart it).
      for (const other of ids.filter((id) => id !== `misbehaving.${tag}`)) expect(lines.get(other)?.status, `${other} when ${tag}`).not.toBe('error');
      expect(lines.get('acme.high-risk-postcode')).toMatchObject({ status: 'hit', points: 10 });
      expect(decision.score).toBeGreaterThan(0);
    }
  });

  it('sends each plugin signal the context parts it declared, and only those', () => {
    const wellBehaved = host.signals.find((s) => s.meta.id === 'misbehaving.well-behaved')!;
    const ctx = orderContext(order([]), { history: { orders: [makeOrder(), makeOrder()] } });
    expect(wellBehaved.evaluate(ctx, {})).toMatchObject({ status: 'hit', evidence: { priorOrders: 2 } });
  });

  it('counts failures per signal and reports restarts', async () => {
    const report = host.reports().find((r) => r.name === 'fixture-misbehaving')!;
    const health = new Map(report.signals.map((s) => [s.id, s]));
    expect(health.get('misbehaving.throws')).toMatchObject({ failures: 1, failuresByKind: { threw: 1 } });
    expect(health.get('misbehaving.bad-strength')).toMatchObject({ failures: 1, failuresByKind: { 'invalid-result': 1 } });
    expect(health.get('misbehaving.hangs')).toMatchObject({ failures: 1, failuresByKind: { timeout: 1 } });
    expect(health.get('misbehaving.well-behaved')).toMatchObject({ failures: 0, consecutiveFailures: 0 });
    expect(health.get('misbehaving.well-behaved')!.calls).toBeGreaterThanOrEqual(5);
    expect(report.restarts).toBe(2);
    // The memory hog's worker died of its limit: the cause arrives as the worker's exit event.
    await expect.poll(() => host.reports().find((r) => r.name === 'fixture-misbehaving')!.lastExit, { timeout: 5000 }).toBe('exceeded its 32 MB memory limit');
  });
});

describe('suspension after repeated failures', () => {
  it('stops calling a signal after N consecutive failures, then tries it again after the pause', async () => {
    let clock = Date.parse('2026-11-22T10:00:00Z');
    const host = await PluginHost.load([fixture('misbehaving')], { builtinIds, baseDir: here, suspendAfter: 3, suspendMs: 60_000, now: () => clock });
    try {
      const throws = host.signals.find((s) => s.meta.id === 'misbehaving.throws')!;
      const ctx = orderContext(order(['throws']));
      const messages = Array.from({ length: 5 }, () => (throws.evaluate(ctx, {}) as { message: string }).message);
      expect(messages.slice(0, 3)).toEqual(Array(3).fill('RangeError: boom in plugin code'));
      expect(messages[3]).toMatch(/^suspended after 3 consecutive failures until 2026-11-22T10:01:00.000Z \(last: RangeError: boom in plugin code\)$/);
      const health = () => host.reports()[0]!.signals.find((s) => s.id === 'misbehaving.throws')!;
      expect(health()).toMatchObject({ calls: 5, failures: 5, failuresByKind: { threw: 3, suspended: 2 }, suspendedUntil: '2026-11-22T10:01:00.000Z' });
      clock += 61_000;
      expect(throws.evaluate(orderContext(order([])), {})).toMatchObject({ status: 'hit', strength: 0.5 });
      expect(health()).toMatchObject({ consecutiveFailures: 0 });
      expect(health().suspendedUntil).toBeUndefined();
    } finally {
      await host.close();
    }
  });
});

describe('a plugin installed as a package', () => {
  let dir: string;
  beforeAll(async () => {
    // An app directory with the example installed under node_modules (as `npm install` would),
    // still as TypeScript: the host strips the types of installed plugins itself.
    dir = await mkdtemp(join(tmpdir(), 'refundsentry-plugin-app-'));
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, dependencies: { '@acme/refundsentry-high-risk-postcodes': '1.0.0' } }));
    const installed = join(dir, 'node_modules/@acme/refundsentry-high-risk-postcodes');
    await mkdir(installed, { recursive: true });
    await cp(example, installed, { recursive: true });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is found by name from the app directory and runs', async () => {
    const host = await PluginHost.load(['@acme/refundsentry-high-risk-postcodes'], { builtinIds, baseDir: dir });
    try {
      expect(host.reports()[0]).toMatchObject({ status: 'loaded', dir: join(dir, 'node_modules/@acme/refundsentry-high-risk-postcodes') });
      const signal = host.signals[0]!;
      expect(signal.evaluate(orderContext(order([], 'E1W')), { areas: [{ country: 'GB', prefix: 'E1' }], minOrderValue: 0 })).toMatchObject({ status: 'hit', strength: 1 });
    } finally {
      await host.close();
    }
  });
});
