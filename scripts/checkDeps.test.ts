import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The rules of `npm run check:deps` (`.dependency-cruiser.mjs`) run by the same command on a small
 * tree laid out like this repository: each forbidden edge is reported under its rule, each
 * allowed one (tests, the UI's type imports of the contract, the contract's of the engine, the
 * server's of the contract, the demo module's dynamic import) is not, and the
 * command fails only when something is reported.
 */
const root = new URL('../', import.meta.url).pathname;
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruiser.mjs');
const config = join(root, '.dependency-cruiser.mjs');

/** A module per line of the table: its path and what it imports. */
const TREE: Record<string, string> = {
  'sdk/index.ts': `import { decide } from '../engine/decide.ts';\nexport const sdk = decide;`,
  'sdk/index.test.ts': `import { sdk } from './index.ts';\nimport { decide } from '../engine/decide.ts';\nexport const t = [sdk, decide];`,
  'signals/a.ts': `import { sdk } from '../sdk/index.ts';\nimport { decide } from '../engine/decide.ts';\nexport const a = [sdk, decide];`,
  'signals/a.test.ts': `import { normalize } from '../server/normalize.ts';\nexport const t = normalize;`,
  'engine/decide.ts': `import { shop } from '../scenarios/generate.ts';\nimport schema from '../rulesets/schema.json' with { type: 'json' };\nexport const decide = [shop, schema];`,
  'engine/decide.test.ts': `import { shop } from '../scenarios/generate.ts';\nexport const t = shop;`,
  'rulesets/schema.json': `{}`,
  'scenarios/generate.ts': `export const shop = 1;`,
  'server/normalize.ts': `export const normalize = 1;`,
  'server/history/read.ts': `import { cli } from '../../cli/main.ts';\nexport const read = cli;`,
  'server/main.ts': [
    `import { shop } from '../scenarios/generate.ts';`,
    `import { demo } from './demo/startDemo.ts';`,
    `export const later = () => import('./demo/startDemo.ts');`,
    `export const main = [shop, demo];`,
  ].join('\n'),
  'server/lazy.ts': `export const start = async () => (await import('./demo/startDemo.ts')).demo;`,
  'server/demo/startDemo.ts': `import { shop } from '../../scenarios/generate.ts';\nexport const demo = shop;`,
  'server/a.ts': `import type { B } from './b.ts';\nexport interface A { b?: B }`,
  'server/b.ts': `import type { A } from './a.ts';\nexport interface B { a?: A }`,
  'server/uses-helper.ts': `import { helper } from './testing/helper.ts';\nexport const x = helper;`,
  'server/testing/helper.ts': `import { shop } from '../../scenarios/generate.ts';\nexport const helper = shop;`,
  'server/store/RefundReportStore.ts': `export interface RefundReport { n: number }`,
  'server/store/OtherStore.ts': `export interface Other { n: number }`,
  'server/broken.ts': `import { gone } from './gone.ts';\nexport const b = gone;`,
  'server/routes.ts': `import type { Answer } from '../contract/answers.ts';\nexport const answer = {} as Answer;`,
  'server/routes/fits.ts': `import type { FitRequest } from '../services/FitService.ts';\nexport const request = {} as FitRequest;`,
  'server/routes/fits.test.ts': `import { FitService } from '../services/FitService.ts';\nexport const t = FitService;`,
  'server/services/FitService.ts': `export interface FitRequest { n: number }\nexport class FitService {}`,
  'contract/answers.ts': [
    `import type { decide } from '../engine/decide.ts';`,
    `import type { A } from '../server/a.ts';`,
    `import { sdk } from '../sdk/index.ts';`,
    `export type Answer = { d: typeof decide; a: A; s: typeof sdk };`,
  ].join('\n'),
  'cli/main.ts': `import { read } from '../server/history/read.ts';\nexport const cli = 1;\nexport const r = read;`,
  'web/src/page.tsx': [
    `import type { A } from '../../server/a.ts';`,
    `import type { RefundReport } from '../../server/store/RefundReportStore.ts';`,
    `import type { Other } from '../../server/store/OtherStore.ts';`,
    `import { decide } from '../../engine/decide.ts';`,
    `import type { decide as Decide } from '../../engine/decide.ts';`,
    `import type { Answer } from '../../contract/answers.ts';`,
    `import schema from '../../rulesets/schema.json' with { type: 'json' };`,
    `export const page = [decide, schema] as unknown as [A, RefundReport, Other, typeof Decide, Answer];`,
  ].join('\n'),
  'web/src/page.test.tsx': `import { normalize } from '../../server/normalize.ts';\nexport const t = normalize;`,
  'extensions/card/src/card.ts': `import type { RefundReport } from '../../../server/store/RefundReportStore.ts';\nimport { normalize } from '../../../server/normalize.ts';\nexport const c = normalize as unknown as RefundReport;`,
};

/** Every violation the rules must report on TREE, as `rule: from → to`, and nothing else. */
const EXPECTED = [
  'sdk-imports-nothing-of-ours: sdk/index.ts → engine/decide.ts',
  'sdk-imports-nothing-of-ours: sdk/index.test.ts → engine/decide.ts',
  'signals-only-see-the-sdk: signals/a.ts → engine/decide.ts',
  'engine-below-the-app: engine/decide.ts → scenarios/generate.ts',
  'server-below-cli-and-web: server/history/read.ts → cli/main.ts',
  'cli-is-the-top: server/history/read.ts → cli/main.ts',
  'no-circular: cli/main.ts ⇄ server/history/read.ts',
  'server-scenarios-only-in-demo: server/main.ts → scenarios/generate.ts',
  'server-demo-loaded-lazily: server/main.ts → server/demo/startDemo.ts',
  'no-circular: server/a.ts ⇄ server/b.ts',
  'production-never-imports-tests: server/uses-helper.ts → server/testing/helper.ts',
  'no-unresolved-relative: server/broken.ts → ./gone.ts',
  'routes-reach-the-ruleset-lifecycle-through-its-service: server/routes/fits.ts → server/services/FitService.ts',
  'ui-runtime-sees-only-itself: web/src/page.tsx → engine/decide.ts',
  'ui-types-from-the-contract: web/src/page.tsx → engine/decide.ts',
  'ui-types-from-the-contract: web/src/page.tsx → server/a.ts',
  'ui-types-from-the-contract: web/src/page.tsx → server/store/RefundReportStore.ts',
  'ui-types-from-the-contract: web/src/page.tsx → server/store/OtherStore.ts',
  'ui-runtime-sees-only-itself: extensions/card/src/card.ts → server/normalize.ts',
  'ui-types-from-the-contract: extensions/card/src/card.ts → server/normalize.ts',
  'ui-types-from-the-contract: extensions/card/src/card.ts → server/store/RefundReportStore.ts',
  'contract-types-from-engine-and-sdk: contract/answers.ts → server/a.ts',
  'contract-is-types-only: contract/answers.ts → sdk/index.ts',
];

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'refundsentry-check-deps-'));
  for (const [path, text] of Object.entries(TREE)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text + '\n');
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The check as `npm run check:deps` runs it (its `err` report), or its violations as JSON. */
function check(output: 'err' | 'json', ...paths: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [depcruise, '--config', config, '--output-type', output, ...paths], { cwd: dir, timeout: 60_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

type Violation = { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] };

/** `rule: from → to`; a cycle (reported once, from whichever member comes first) as its members in order of name. */
const line = (v: Violation) =>
  v.cycle ? `${v.rule.name}: ${[...new Set([v.from, ...v.cycle.map((c) => c.name)])].sort().join(' ⇄ ')}` : `${v.rule.name}: ${v.from} → ${v.to}`;

describe('npm run check:deps (.dependency-cruiser.mjs)', () => {
  it('reports each forbidden edge under its rule and no allowed one', async () => {
    const { stdout } = await check('json', '.');
    const { summary } = JSON.parse(stdout) as { summary: { violations: Violation[]; totalCruised: number } };
    expect(summary.totalCruised).toBe(Object.keys(TREE).length + 1); // and the missing ./gone.ts
    const reported = summary.violations.map(line);
    expect(reported.sort()).toEqual([...EXPECTED].sort());

    const failed = await check('err', '.');
    expect(failed.stdout).toContain(`x ${EXPECTED.length} dependency violations (${EXPECTED.length} errors, 0 warnings)`);
    expect(failed.code).toBe(EXPECTED.length); // the command exits with the number of errors
  });

  it('passes a tree that keeps the rules', async () => {
    const allowed = ['scenarios', 'server/normalize.ts', 'server/lazy.ts', 'server/demo', 'signals/a.test.ts', 'web/src/page.test.tsx'];
    const { stdout } = await check('json', ...allowed);
    const { summary } = JSON.parse(stdout) as { summary: { violations: Violation[]; totalCruised: number } };
    expect(summary.violations).toEqual([]);
    expect(summary.totalCruised).toBe(6);
    const passed = await check('err', ...allowed);
    expect(passed.stdout).toContain('no dependency violations found');
    expect(passed.code).toBe(0);
  });
});
