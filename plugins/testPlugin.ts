import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { builtinSignals } from '../signals/index.ts';
import { PluginHost } from './PluginHost.ts';

export interface PluginTestReport {
  loaded: boolean;
  /** Problems found before the tests ran (load failure, signals without a test file). */
  problems: string[];
  tests: { files: number; passed: number; failed: number };
}

/**
 * `refundsentry plugin test [dir]`, the conformance kit: loads the plugin exactly as the server
 * would (manifest, sdk range, ids against the built-ins, every module imported in a worker),
 * checks each signal module has its test beside it, then runs the plugin's tests
 * (`**\/*.test.ts`, SignalTester tables) with vitest, `@refundsentry/sdk` resolved to this
 * RefundSentry's sdk. Vitest's failure details go to `err`; the report says whether it all passed.
 */
export async function testPlugin(dirArg: string, out: NodeJS.WritableStream, err: NodeJS.WritableStream = out): Promise<PluginTestReport> {
  const dir = resolve(dirArg);
  const report: PluginTestReport = { loaded: false, problems: [], tests: { files: 0, passed: 0, failed: 0 } };
  const host = await PluginHost.load([dir], { builtinIds: builtinSignals.map((s) => s.meta.id) });
  const [loaded] = host.reports();
  await host.close();
  if (loaded!.status !== 'loaded') {
    report.problems.push(`does not load: ${loaded!.error}`);
    out.write(`✗ ${loaded!.name ?? dir} does not load: ${loaded!.error}\n`);
    return report;
  }
  report.loaded = true;
  out.write(`✓ ${loaded!.name}@${loaded!.version} loads: ${host.signals.map((s) => `${s.meta.id}@${s.meta.version}`).join(', ')}\n`);
  for (const [id, path] of (await import('./manifest.ts').then((m) => m.readPluginPackage(dir))).modules) {
    const test = path.replace(/\.([mc]?[jt]s)$/, '.test.$1').replace(/\.test\.([mc]?)js$/, '.test.$1ts');
    if (!(await access(test).then(() => true, () => false))) report.problems.push(`${id} has no test beside it (${test})`);
  }
  for (const problem of report.problems) out.write(`✗ ${problem}\n`);

  const { startVitest } = await import('vitest/node');
  const sdk = fileURLToPath(new URL('../sdk/', import.meta.url));
  const vitest = await startVitest(
    'test',
    [],
    { root: dir, watch: false, config: false, include: ['**/*.test.ts', '**/*.test.js'], exclude: ['**/node_modules/**'], reporters: [['default', { summary: false }]], passWithNoTests: false },
    {
      resolve: {
        alias: [
          { find: /^@refundsentry\/sdk\/testing$/, replacement: `${sdk}testing/index.ts` },
          { find: /^@refundsentry\/sdk$/, replacement: `${sdk}index.ts` },
        ],
      },
    },
    { stdout: out as NodeJS.WriteStream, stderr: err as NodeJS.WriteStream },
  );
  const files = vitest.state.getFiles();
  report.tests.files = files.length;
  for (const file of files) {
    for (const task of allTests(file)) {
      if (task.result?.state === 'pass') report.tests.passed++;
      else if (task.result?.state === 'fail') report.tests.failed++;
    }
    if (file.result?.state === 'fail' && allTests(file).length === 0) report.tests.failed++;
  }
  await vitest.close();
  return report;
}

interface Task {
  type: string;
  tasks?: Task[];
  result?: { state?: string };
}

function allTests(task: Task): Task[] {
  return task.type === 'test' ? [task] : (task.tasks ?? []).flatMap(allTests);
}

/** True when the plugin loads, every signal has a test, and at least one test ran and none failed. */
export function passed(report: PluginTestReport): boolean {
  return report.loaded && report.problems.length === 0 && report.tests.failed === 0 && report.tests.passed > 0;
}
