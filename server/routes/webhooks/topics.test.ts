import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOPIC_KINDS } from '../../shopify/normalize/webhookTopic.ts';
import { BULK_FINISH_HANDLER, TOPIC_HANDLERS } from './topics.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../../..');
/** Modules of this folder that handle no topic: the receiving route, the handlers' contract and the registry. */
const NOT_HANDLERS = ['index.ts', 'handler.ts', 'topics.ts'];

interface Subscription {
  topics: string[];
  /** The files its "Handled by" comment names (a bare name is in the folder of the path before it). */
  handledBy: string[];
}

/** The `[[webhooks.subscriptions]]` of shopify.app.toml, each with the comment lines just above it. */
function subscriptionsOf(toml: string): Subscription[] {
  const blocks = toml.split('[[webhooks.subscriptions]]');
  return blocks.slice(1).map((block, i) => {
    const comment = blocks[i]!.split('\n').reverse().map((line) => line.trim());
    const above = comment.slice(comment[0] === '' ? 1 : 0);
    const lines = above.slice(0, above.findIndex((line) => !line.startsWith('#'))).reverse().join(' ');
    const named = /Handled by:\s*([^(]+)/.exec(lines)?.[1] ?? '';
    let folder = '';
    const handledBy = named.split(/[,\s]+/).filter((name) => name.endsWith('.ts')).map((name) => {
      if (name.includes('/')) folder = name.slice(0, name.lastIndexOf('/') + 1);
      return name.includes('/') ? name : folder + name;
    });
    const topics = [...block.matchAll(/(?:^|\n)\s*(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/g)].flatMap((m) => [...m[1]!.matchAll(/"([^"]+)"/g)].map((t) => t[1]!));
    return { topics, handledBy };
  });
}

/** Each handler object → the file of this folder that exports it. */
async function handlerFiles(): Promise<Map<unknown, string>> {
  const files = new Map<unknown, string>();
  for (const name of await readdir(HERE)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts') || NOT_HANDLERS.includes(name)) continue;
    const module = (await import(/* @vite-ignore */ pathToFileURL(join(HERE, name)).href)) as Record<string, unknown>;
    for (const exported of Object.values(module)) files.set(exported, `server/routes/webhooks/${name}`);
  }
  return files;
}

describe('webhook topics: one handler each, named in shopify.app.toml', () => {
  it('has a handler for every topic the normalizer takes, of the kind it makes of that topic', () => {
    expect(Object.keys(TOPIC_HANDLERS).sort()).toEqual(Object.keys(TOPIC_KINDS).sort());
    for (const [topic, handler] of Object.entries(TOPIC_HANDLERS)) expect(handler.kind, topic).toBe(TOPIC_KINDS[topic as keyof typeof TOPIC_KINDS]);
  });

  it("names, above each subscription, exactly the files that handle its topics, and every handler file is named", async () => {
    const files = await handlerFiles();
    const fileOf = (topic: string) => (topic === 'bulk_operations/finish' ? files.get(BULK_FINISH_HANDLER) : files.get(TOPIC_HANDLERS[topic as keyof typeof TOPIC_HANDLERS]));
    const subscriptions = subscriptionsOf(await readFile(join(ROOT, 'shopify.app.toml'), 'utf8'));
    expect(subscriptions.length).toBeGreaterThan(0);
    const named = new Set<string>();
    for (const { topics, handledBy } of subscriptions) {
      expect(topics.length).toBeGreaterThan(0);
      for (const topic of topics) expect(fileOf(topic), `a handler module for ${topic}`).toBeDefined();
      expect(handledBy.sort(), `"Handled by" above ${topics.join(', ')}`).toEqual([...new Set(topics.map(fileOf))].sort());
      for (const file of handledBy) named.add(file);
    }
    expect([...named].sort()).toEqual([...new Set(files.values())].sort());
  });

  it('reads the comments as written, so a wrong one would fail', () => {
    const [one] = subscriptionsOf('# about it\n# Handled by: server/routes/webhooks/a.ts, b.ts (see c.ts)\n[[webhooks.subscriptions]]\ntopics = ["x/y", "x/z"]\nuri = "/webhooks"\n');
    expect(one).toEqual({ topics: ['x/y', 'x/z'], handledBy: ['server/routes/webhooks/a.ts', 'server/routes/webhooks/b.ts'] });
  });
});
