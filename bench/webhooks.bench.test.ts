import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bench = new URL('./webhooks.bench.ts', import.meta.url).pathname;

/** The bench run with these arguments: its exit code and what it printed. */
async function run(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bench, ...args], { timeout: 20_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('bench:webhooks arguments', () => {
  it('refuses a malformed rate, duration, --customers or --warmup with a message naming it, before starting anything', async () => {
    const cases: [string[], string][] = [
      [['abc'], 'the rate (webhooks per second) needs a whole number, at least 1: got "abc"'],
      [['100', '0'], 'the duration (seconds) needs a whole number, at least 1: got "0"'],
      [['100', '5', '--customers=0'], '--customers=N (customers) needs a whole number, at least 1: got "0"'],
      [['100', '5', '--warmup=x'], '--warmup=S (seconds) needs a whole number, at least 0: got "x"'],
      [['100', '5', '--warmup=-1'], '--warmup=S (seconds) needs a whole number, at least 0: got "-1"'],
      [['100', '5', '--warmup='], '--warmup=S (seconds) needs a whole number, at least 0: got ""'],
    ];
    for (const [args, message] of cases) {
      const { code, output } = await run(...args);
      expect(code, args.join(' ')).toBe(1);
      expect(output).toContain(message);
      expect(output).not.toContain('is listening on');
    }
  });
});
