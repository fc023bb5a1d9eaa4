import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bench = new URL('./webhooks.bench.ts', import.meta.url).pathname;
const UCI_CSV = new URL('../../shared/data/uci_online_retail.csv.gz', import.meta.url).pathname;

/** The bench run with these arguments: its exit code and what it printed. */
async function run(...args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bench, ...args], { timeout: 90_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('bench:webhooks arguments', () => {
  it('refuses a malformed rate, duration, --customers, --warmup or --uci with a message naming it, before starting anything', async () => {
    const cases: [string[], string][] = [
      [['abc'], 'the rate (webhooks per second) needs a whole number, at least 1: got "abc"'],
      [['100', '0'], 'the duration (seconds) needs a whole number, at least 1: got "0"'],
      [['100', '5', '--customers=0'], '--customers=N (customers) needs a whole number, at least 1: got "0"'],
      [['100', '5', '--warmup=x'], '--warmup=S (seconds) needs a whole number, at least 0: got "x"'],
      [['100', '5', '--warmup=-1'], '--warmup=S (seconds) needs a whole number, at least 0: got "-1"'],
      [['100', '5', '--warmup='], '--warmup=S (seconds) needs a whole number, at least 0: got ""'],
      [['100', '5', '--uci', '--customers=50'], '--uci and --customers=N both choose who orders: give one of them'],
      [['100', '5', '--uci=/nonexistent/uci.csv.gz'], '--uci: cannot read the UCI Online Retail CSV at /nonexistent/uci.csv.gz'],
    ];
    for (const [args, message] of cases) {
      const { code, output } = await run(...args);
      expect(code, args.join(' ')).toBe(1);
      expect(output).toContain(message);
      expect(output).not.toContain('is listening on');
    }
  });
});

describe(existsSync(UCI_CSV) ? 'bench:webhooks --uci' : 'bench:webhooks --uci (SKIPPED: ../shared/data/uci_online_retail.csv.gz not found)', () => {
  it.runIf(existsSync(UCI_CSV))("sends the real shop's invoices, guests' included, as signed orders the server decides", async () => {
    // The first 100 purchase invoices of the data set in time order: the 84th is the first guest's.
    const { code, output } = await run('100', '1', '--uci');
    expect(code, output).toBe(0);
    const buyers = Number(/from the UCI Online Retail invoices \((\d+) buyers\)/.exec(output)?.[1]);
    expect(buyers).toBeGreaterThan(1);
    expect(buyers).toBeLessThan(100);
    expect(output).toContain('decisions stored          100 of 100');
    expect(output).not.toContain('not acknowledged');
  }, 120_000);
});
