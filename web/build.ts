import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'vite';

/**
 * Builds the admin into web/dist with Vite. `--if-stale` (what `npm start` and the tests use)
 * skips the build when web/dist is newer than every source of it, so only the first start after
 * a change pays for it.
 */
const web = new URL('.', import.meta.url).pathname;
const stamp = join(web, 'dist', '.built');

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export async function buildAdmin({ ifStale = false } = {}): Promise<boolean> {
  const sources = [join(web, 'src'), join(web, 'public'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(web, '..', 'package-lock.json')].filter((p) => existsSync(p));
  if (ifStale && existsSync(stamp) && statSync(stamp).mtimeMs >= Math.max(...sources.map(newest))) return false;
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stamp, new Date().toISOString());
  return true;
}

if (import.meta.main) {
  const started = Date.now();
  const built = await buildAdmin({ ifStale: process.argv.includes('--if-stale') });
  console.log(built ? `admin built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'admin up to date (web/dist)');
}
