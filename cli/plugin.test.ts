import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import defaultRuleset from '../rulesets/default.json' with { type: 'json' };
import { makeOrder, orderContext } from '../sdk/testing/index.ts';
import { main } from './main.ts';

const root = new URL('../', import.meta.url).pathname;
const bin = join(root, 'bin/refundsentry.js');
const example = join(root, 'examples/high-risk-postcodes');
let dir: string;

/** Runs the CLI in this process. */
async function cli(...argv: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (c) => (chunks.out += c));
  err.on('data', (c) => (chunks.err += c));
  const code = await main(argv, out, err);
  return { code, stdout: chunks.out, stderr: chunks.err };
}

/** Runs the CLI as a process (plugin test starts vitest, which wants a process of its own). */
function cliProcess(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: dir, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-cli-plugin-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('refundsentry plugin new / plugin test', () => {
  it('scaffolds a plugin whose own tests pass under plugin test', async () => {
    const made = await cli('plugin', 'new', '@acme/refundsentry-signals', '--dir', dir);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain('with signal acme.large-first-order');
    const pkg = JSON.parse(await readFile(join(dir, 'refundsentry-signals/package.json'), 'utf8'));
    expect(pkg.refundsentry).toEqual({ sdk: '^1.0.0', signals: { 'acme.large-first-order': './signals/large-first-order.ts' } });
    const tested = await cliProcess('plugin', 'test', 'refundsentry-signals');
    expect(tested.code, tested.stdout + tested.stderr).toBe(0);
    expect(tested.stdout).toContain('✓ @acme/refundsentry-signals@0.1.0 loads: acme.large-first-order@0.1.0');
    expect(tested.stdout).toMatch(/plugin test passed: 7 passed, 0 failed in 1 file\(s\)/);
  });

  it('fails when a case fails, when a signal has no test, and when the plugin does not load', async () => {
    const plugin = join(dir, 'refundsentry-signals');
    const testFile = join(plugin, 'signals/large-first-order.test.ts');
    const good = await readFile(testFile, 'utf8');
    await writeFile(testFile, good.replace("message: 'First order of 1500, above 500.'", "message: 'First order of 1500, above 400.'"));
    const failing = await cliProcess('plugin', 'test', plugin);
    expect(failing.code).toBe(1);
    expect(failing.stderr).toMatch(/plugin test FAILED: 6 passed, 1 failed/);
    expect(failing.stderr).toContain('First order of 1500, above 400.');
    await writeFile(testFile, good);

    const pkgFile = join(plugin, 'package.json');
    const pkg = JSON.parse(await readFile(pkgFile, 'utf8'));
    pkg.refundsentry.signals['acme.untested'] = './signals/untested.ts';
    await writeFile(join(plugin, 'signals/untested.ts'), (await readFile(join(plugin, 'signals/large-first-order.ts'), 'utf8')).replace("id: 'acme.large-first-order'", "id: 'acme.untested'"));
    await writeFile(pkgFile, JSON.stringify(pkg));
    const untested = await cliProcess('plugin', 'test', plugin);
    expect(untested.code).toBe(1);
    expect(untested.stdout).toMatch(/✗ acme\.untested has no test beside it/);

    pkg.refundsentry.sdk = '^3.0.0';
    await writeFile(pkgFile, JSON.stringify(pkg));
    const incompatible = await cliProcess('plugin', 'test', plugin);
    expect(incompatible.code).toBe(1);
    expect(incompatible.stdout).toContain('does not load: @acme/refundsentry-signals needs @refundsentry/sdk ^3.0.0; this RefundSentry provides sdk 1.0.0');
  });

  it('passes the shipped example plugin', async () => {
    const tested = await cliProcess('plugin', 'test', example);
    expect(tested.code, tested.stderr).toBe(0);
    expect(tested.stdout).toMatch(/plugin test passed: 12 passed, 0 failed in 1 file\(s\)/);
  });

  it('refuses a reserved namespace, a bad name and a directory in use', async () => {
    expect(await cli('plugin', 'new', 'velocity-extras', '--dir', dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/namespace "velocity" is reserved/) });
    expect(await cli('plugin', 'new', 'Bad Name', '--dir', dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/not a valid npm package name/) });
    expect(await cli('plugin', 'new', '@acme/refundsentry-signals', '--dir', dir)).toMatchObject({ code: 2, stderr: expect.stringMatching(/already exists and is not empty/) });
    expect(await cli('plugin', 'publish')).toMatchObject({ code: 2, stderr: expect.stringMatching(/plugin needs "new" or "test" \(not "publish"\)/) });
  });
});

describe('--plugin on the other commands', () => {
  it('lists plugin signals with their origin, and scores with them', async () => {
    const listed = await cli('signals', '--plugin', example);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^acme\.high-risk-postcode\t1\.0\.0\torder,return,refund\t20\tShips to a high-risk postcode\t\(plugin @acme\/refundsentry-high-risk-postcodes@1\.0\.0\)$/m);
    expect(listed.stdout).toMatch(/^velocity\.return-rate\t[^\n]*[^)]$/m);

    const ruleset = structuredClone(defaultRuleset) as typeof defaultRuleset & { signals: Record<string, unknown> };
    ruleset.signals['acme.high-risk-postcode'] = { weight: 30, params: { areas: [{ country: 'GB', prefix: 'E1' }] } };
    await writeFile(join(dir, 'ruleset.json'), JSON.stringify(ruleset));
    const ctx = orderContext(makeOrder({ shippingAddress: { countryCode: 'GB', postcodePrefix: 'E1W' } }));
    await writeFile(join(dir, 'events.jsonl'), `${JSON.stringify(ctx)}\n`);
    const scored = await cli('score', '--plugin', example, '--ruleset', join(dir, 'ruleset.json'), '--in', join(dir, 'events.jsonl'));
    expect(scored.code, scored.stderr).toBe(0);
    const decision = JSON.parse(scored.stdout);
    expect(decision.signals.find((s: { id: string }) => s.id === 'acme.high-risk-postcode')).toMatchObject({ status: 'hit', points: 30 });
    // Without the plugin, the same ruleset is refused with the unknown signal named.
    const without = await cli('validate', join(dir, 'ruleset.json'));
    expect(without.code).toBe(1);
    expect(without.stderr).toMatch(/unknown signal "acme\.high-risk-postcode"/);
  });

  it('reports a plugin that does not load and carries on without it', async () => {
    const run = await cli('signals', '--plugin=./no-such-plugin');
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/refundsentry: plugin \.\/no-such-plugin not loaded: plugin directory .*no-such-plugin does not exist/);
    expect(run.stdout).toContain('velocity.return-rate');
  });
});
