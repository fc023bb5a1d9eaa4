import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isSignal } from '../sdk/index.ts';
import { builtinSignals } from './index.ts';
import { renderCatalog } from './renderCatalog.ts';

const root = new URL('./', import.meta.url);
const CATEGORIES = ['customer', 'order', 'pattern', 'velocity'];

/** Every `signals/<category>/<name>.ts` that default-exports a signal. */
async function signalFiles(): Promise<{ file: string; id: string; exported: unknown }[]> {
  const files = CATEGORIES.flatMap((category) =>
    readdirSync(new URL(`${category}/`, root))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => `${category}/${f}`),
  );
  return Promise.all(
    files.map(async (file) => ({ file, id: file.replace('/', '.').replace(/\.ts$/, ''), exported: (await import(new URL(file, root).href)).default })),
  );
}

describe('the built-in signal catalog', () => {
  it('registers every signal file, under the id its path gives, in alphabetical order', async () => {
    const files = (await signalFiles()).filter((f) => isSignal(f.exported));
    const registered = builtinSignals.map((s) => s.meta.id);
    expect(registered).toEqual([...registered].sort());
    expect(registered).toEqual(files.map((f) => f.id).sort());
    for (const { id, exported } of files) expect((exported as { meta: { id: string } }).meta.id).toBe(id);
  });

  it('has a test beside every signal', async () => {
    for (const { file } of (await signalFiles()).filter((f) => isSignal(f.exported))) {
      expect(existsSync(new URL(file.replace(/\.ts$/, '.test.ts'), root)), `${file} has no test`).toBe(true);
    }
  });

  it('covers at least 10 order signals and 50 return or refund signals', () => {
    expect(builtinSignals.filter((s) => s.meta.appliesTo.includes('order')).length).toBeGreaterThanOrEqual(10);
    expect(builtinSignals.filter((s) => s.meta.appliesTo.includes('return') || s.meta.appliesTo.includes('refund')).length).toBeGreaterThanOrEqual(50);
  });

  it('keeps CATALOG.md in step with the code (run `npm run catalog`)', () => {
    expect(readFileSync(new URL('CATALOG.md', root), 'utf8')).toBe(renderCatalog(builtinSignals));
  });
});
