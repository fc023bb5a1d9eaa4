import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints, after a hostile run, one line per category: inputs tried, held and failed (from the
 * `hostile` meta that `hostileCase` sets), and the cases that failed.
 */
export default class TallyReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows = new Map<string, { cases: number; tried: number; failed: number }>();
    const failures: string[] = [];
    for (const module of testModules) {
      for (const testCase of module.children.allTests()) {
        const meta = testCase.meta().hostile;
        const state = testCase.result().state;
        const category = meta?.category ?? 'uncategorised';
        const row = rows.get(category) ?? { cases: 0, tried: 0, failed: 0 };
        row.cases++;
        row.tried += meta?.tried ?? 1;
        // A test that failed before its body ran (a hook) still failed.
        const failed = state === 'failed' ? Math.max(1, meta?.failed ?? 1) : 0;
        row.failed += failed;
        if (failed) failures.push(testCase.fullName);
        rows.set(category, row);
      }
    }
    const lines = [...rows].sort(([a], [b]) => a.localeCompare(b)).map(([category, r]) => `${category.padEnd(18)} ${String(r.cases).padStart(5)} ${String(r.tried).padStart(7)} ${String(r.tried - r.failed).padStart(7)} ${String(r.failed).padStart(7)}`);
    const total = [...rows.values()].reduce((t, r) => ({ cases: t.cases + r.cases, tried: t.tried + r.tried, failed: t.failed + r.failed }), { cases: 0, tried: 0, failed: 0 });
    console.log(['', 'hostile inputs:', `${'category'.padEnd(18)} ${'cases'.padStart(5)} ${'tried'.padStart(7)} ${'held'.padStart(7)} ${'failed'.padStart(7)}`, ...lines, `${'all'.padEnd(18)} ${String(total.cases).padStart(5)} ${String(total.tried).padStart(7)} ${String(total.tried - total.failed).padStart(7)} ${String(total.failed).padStart(7)}`, ...failures.map((f) => `failed: ${f}`), ''].join('\n'));
  }
}
