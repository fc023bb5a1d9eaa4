import { test, type TestContext } from 'vitest';

/** The kinds of hostile input the suite tries; the report prints one line per category. */
export type HostileCategory =
  | 'tenant-isolation'
  | 'webhook-headers'
  | 'webhook-bodies'
  | 'api-input'
  | 'demo-mode'
  | 'session-tokens'
  | 'csv-exports'
  | 'budgets';

declare module 'vitest' {
  interface TaskMeta {
    /** Set by `hostileCase`: what the case tried and how much of it held (read by `tallyReporter`). */
    hostile?: { category: HostileCategory; tried: number; failed: number };
  }
}

/** Counts the attempts of a case that tries many inputs (a fast-check property: one per run). */
export interface Attempts {
  /** Adds `n` tried inputs (default 1). */
  tried(n?: number): void;
}

/**
 * A hostile test case: a vitest test tagged with its category. A case that tries many inputs
 * counts them with `attempts.tried()`; a case that passes held for every input it tried, a case
 * that fails counts one failure (the first input that broke, as fast-check reports it).
 */
export function hostileCase(
  category: HostileCategory,
  name: string,
  body: (attempts: Attempts, context: TestContext) => Promise<void> | void,
  timeoutMs?: number,
): void {
  test(`[${category}] ${name}`, async (context) => {
    let tried = 0;
    const meta = { category, tried: 1, failed: 0 };
    context.task.meta.hostile = meta;
    try {
      await body({ tried: (n = 1) => void (tried += n) }, context);
      meta.tried = Math.max(1, tried);
    } catch (error) {
      meta.tried = Math.max(1, tried);
      meta.failed = 1;
      throw error;
    }
  }, timeoutMs);
}
