import { readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Boom from '@hapi/boom';
import Hapi from '@hapi/hapi';
import { describe, expect, it } from 'vitest';
import type { ApiDeps } from './context.ts';
import { api, ROUTE_MODULES } from './index.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Modules of this folder that register no routes: what handlers are given, the CSV writer, the plugin, the rulesets' shared view. */
const HELPERS = ['context', 'csv', 'index', 'rulesets/helpers'];
/** Route modules only close over what they are given; nothing is called here. */
const NO_DEPS = {} as ApiDeps;

const camel = (segment: string) => segment.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * The module a route belongs in: its URL's first segment after `/api` (without an extension:
 * `/api/refund-methods.csv` → `refundMethods`); in a resource's folder, the file of the route's
 * last literal segment after the resource (`/api/rulesets/{version}/simulate` → `rulesets/simulate`),
 * or of its verb when it has none (GET of the collection → `list`, of one → `get`, POST → `create`).
 */
function expectedModule(method: string, path: string, folders: Set<string>): string {
  const [first, ...rest] = path.replace(/^\/api\//, '').split('/');
  const resource = camel(first!.replace(/\..*$/, ''));
  if (!folders.has(resource)) return resource;
  const literal = rest.filter((s) => !s.startsWith('{')).at(-1)?.replace(/\..*$/, '');
  if (literal) return `${resource}/${camel(literal)}`;
  const verb = method.toUpperCase();
  const action = verb === 'GET' ? (rest.length > 0 ? 'get' : 'list') : verb === 'POST' ? 'create' : verb === 'PUT' ? 'update' : 'remove';
  return `${resource}/${action}`;
}

async function sourceModules(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => relative(HERE, join(e.parentPath, e.name)).replace(/\.ts$/, '').split('\\').join('/'))
    .sort();
}

describe('routes/api: every URL in the module its resource names', () => {
  const folders = new Set(Object.keys(ROUTE_MODULES).filter((name) => name.includes('/')).map((name) => name.split('/')[0]!));

  it('lists every module of the folder, each under its own file name, and no resource both as a file and a folder', async () => {
    const files = await sourceModules(HERE);
    expect(files.filter((f) => !HELPERS.includes(f))).toEqual(Object.keys(ROUTE_MODULES).sort());
    for (const [name, routes] of Object.entries(ROUTE_MODULES)) {
      const exported = Object.values(await import(/* @vite-ignore */ pathToFileURL(join(HERE, `${name}.ts`)).href));
      expect(exported, `${name}.ts exports the routes registered under its name`).toContain(routes);
    }
    for (const folder of folders) expect(files, `${folder} is a folder of routes, not also a file`).not.toContain(folder);
  });

  it("puts each route in the module its URL's resource names", () => {
    const misplaced: string[] = [];
    for (const [name, routes] of Object.entries(ROUTE_MODULES)) {
      for (const route of routes(NO_DEPS)) {
        const method = String(route.method);
        const wanted = expectedModule(method, route.path, folders);
        if (wanted !== name) misplaced.push(`${method} ${route.path} is in ${name}.ts, not ${wanted}.ts`);
      }
    }
    expect(misplaced).toEqual([]);
  });

  it('registers exactly the routes of these modules, each under /api and once', async () => {
    const server = Hapi.server();
    server.auth.scheme('none', () => ({ authenticate: (_request, h) => h.unauthenticated(Boom.unauthorized()) }));
    server.auth.strategy('session', 'none');
    await server.register({ plugin: api, options: NO_DEPS });
    const registered = server.table().map((r) => `${r.method.toUpperCase()} ${r.path}`).sort();
    const declared = Object.values(ROUTE_MODULES).flatMap((routes) => routes(NO_DEPS).map((r) => `${String(r.method).toUpperCase()} ${r.path}`)).sort();
    expect(registered).toEqual(declared);
    expect(new Set(registered).size).toBe(registered.length);
    expect(registered.every((r) => r.split(' ')[1]!.startsWith('/api/'))).toBe(true);
    // Every route needs the session (the shop comes from its token).
    for (const route of server.table()) expect((route.settings.auth as { strategies?: string[] }).strategies, route.path).toEqual(['session']);
  });

  it('names modules by the rule, so a misplaced route would fail', () => {
    expect(expectedModule('GET', '/api/refund-methods.csv', folders)).toBe('refundMethods');
    expect(expectedModule('GET', '/api/orders/{id}/evidence.html', folders)).toBe('orders');
    expect(expectedModule('POST', '/api/rulesets/{version}/simulate', folders)).toBe('rulesets/simulate');
    expect(expectedModule('DELETE', '/api/rulesets/shadow', folders)).toBe('rulesets/shadow');
    expect(expectedModule('GET', '/api/rulesets', folders)).toBe('rulesets/list');
    expect(expectedModule('GET', '/api/rulesets/{version}', folders)).toBe('rulesets/get');
    expect(expectedModule('POST', '/api/rulesets', folders)).toBe('rulesets/create');
    expect(expectedModule('GET', '/api/holds', folders)).toBe('holds');
  });
});
