import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SDK_VERSION } from '../sdk/index.ts';
import { RESERVED_NAMESPACES } from './manifest.ts';

const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const NAMESPACE = /^[a-z][a-z0-9]*$/;

export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaffoldError';
  }
}

export interface ScaffoldOptions {
  /** npm package name, e.g. `acme-signals` or `@acme/refundsentry-signals`. */
  name: string;
  /** Where the plugin's directory is created (default: the working directory). */
  parentDir?: string;
  /** The signal id namespace (default: the scope, or the name's first word: `acme` for `@acme/x` or `acme-signals`). */
  namespace?: string;
}

/**
 * `refundsentry plugin new <name>`: a plugin package with one working signal, its SignalTester
 * table and a README, ready for `refundsentry plugin test` and for loading with `--plugin` or
 * `PLUGINS`. Refuses to write into a directory that is not empty.
 */
export async function scaffoldPlugin(options: ScaffoldOptions): Promise<{ dir: string; files: string[]; signalId: string }> {
  const { name } = options;
  if (!PACKAGE_NAME.test(name)) throw new ScaffoldError(`"${name}" is not a valid npm package name (lowercase, e.g. acme-signals or @acme/refundsentry-signals)`);
  const bare = name.replace(/^@[^/]+\//, '');
  const scope = /^@([^/]+)\//.exec(name)?.[1];
  const namespace = options.namespace ?? (scope ?? bare.replace(/^refundsentry-(plugin-)?/, '')).split(/[^a-z0-9]/)[0]!;
  if (!NAMESPACE.test(namespace)) throw new ScaffoldError(`namespace "${namespace}" must be one lowercase word starting with a letter (pass --namespace)`);
  if (RESERVED_NAMESPACES.includes(namespace)) throw new ScaffoldError(`namespace "${namespace}" is reserved for built-in signals; pass --namespace <your-vendor-name>`);
  const dir = resolve(options.parentDir ?? process.cwd(), bare);
  const existing = await readdir(dir).catch(() => undefined);
  if (existing && existing.length > 0) throw new ScaffoldError(`${dir} already exists and is not empty`);
  const signalId = `${namespace}.large-first-order`;
  const files: Record<string, string> = {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        description: `RefundSentry signal plugin: ${signalId} and friends.`,
        license: 'MIT',
        type: 'module',
        files: ['signals/*.ts', '!signals/*.test.ts', 'README.md'],
        keywords: ['refundsentry-plugin'],
        scripts: { test: 'refundsentry plugin test .' },
        peerDependencies: { '@refundsentry/sdk': `^${SDK_VERSION}` },
        refundsentry: { sdk: `^${SDK_VERSION}`, signals: { [signalId]: './signals/large-first-order.ts' } },
      },
      null,
      2,
    )}\n`,
    'signals/large-first-order.ts': SIGNAL_TEMPLATE.replaceAll('__ID__', signalId),
    'signals/large-first-order.test.ts': TEST_TEMPLATE,
    'README.md': README_TEMPLATE.replaceAll('__NAME__', name).replaceAll('__ID__', signalId).replaceAll('__DIR__', bare),
  };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  return { dir, files: Object.keys(files), signalId };
}

const SIGNAL_TEMPLATE = `import { defineSignal } from '@refundsentry/sdk';

/**
 * A first order far above what the shop usually sees: new customers rarely start big, stolen
 * cards often do. Replace it with your own signal; keep one signal per file, its test beside it.
 */
export default defineSignal<{ minTotal: number }>({
  meta: {
    id: '__ID__',
    version: '0.1.0',
    title: 'Large first order',
    description: 'The customer has never ordered before and this first order is above the threshold.',
    category: 'order',
    appliesTo: ['order'],
    defaultWeight: 10,
    params: {
      type: 'object',
      properties: { minTotal: { type: 'number', exclusiveMinimum: 0, default: 500 } },
    },
    needs: ['subject', 'history.orders'],
    messages: {
      large: 'First order of {{total}}, above {{minTotal}}.',
      returning: 'The customer ordered {{orders}} times before.',
    },
  },
  evaluate(ctx, params) {
    if (ctx.subject.kind !== 'order') return { status: 'no_hit' };
    const orders = ctx.history.orders.length;
    if (orders > 0) return { status: 'no_hit', messageId: 'returning', evidence: { orders } };
    const total = ctx.subject.order.totalPrice;
    if (total < params.minTotal) return { status: 'no_hit' };
    // Strength grows with how far above the threshold it is: 1 at three times the threshold.
    const strength = Math.min(1, total / (3 * params.minTotal));
    return { status: 'hit', strength, messageId: 'large', evidence: { total }, data: { total, minTotal: params.minTotal } };
  },
});
`;

const TEST_TEMPLATE = `import { describe, it } from 'vitest';
import { SignalTester, makeLineItem, makeOrder, orderContext } from '@refundsentry/sdk/testing';
import largeFirstOrder from './large-first-order.ts';

const order = (price: number) => makeOrder({ lineItems: [makeLineItem({ price })] });

// Each case also checks determinism, the frozen context, no clock or randomness, reads of
// declared needs only, and the result contract (see the sdk README).
new SignalTester({ describe, it }).run(largeFirstOrder, {
  hits: [
    { name: 'a first order at three times the threshold', ctx: orderContext(order(1500)), strength: 1, evidence: { total: 1500 }, message: 'First order of 1500, above 500.' },
    { name: 'just above a custom threshold', ctx: orderContext(order(120)), params: { minTotal: 100 }, strength: [0.39, 0.41] },
  ],
  quiet: [
    { name: 'a small first order', ctx: orderContext(order(80)) },
    { name: 'a returning customer', ctx: orderContext(order(1500), { history: { orders: [makeOrder()] } }), messageId: 'returning', evidence: { orders: 1 } },
  ],
  invalidParams: [{ name: 'a zero threshold', params: { minTotal: 0 }, pointer: '/minTotal' }],
});
`;

const README_TEMPLATE = `# __NAME__

A RefundSentry signal plugin. Its signals are declared in \`package.json\` under \`refundsentry\`
(the sdk range it needs, and each signal id with its module).

- Test: \`npx refundsentry plugin test ./__DIR__\` (loads the plugin as the server would, then runs
  the SignalTester tables in \`signals/*.test.ts\`).
- Try it: \`npx refundsentry signals --plugin ./__DIR__\`, then weight \`__ID__\` in a ruleset and
  \`npx refundsentry score --plugin ./__DIR__ --ruleset ruleset.json --in events.jsonl\`.
- Run it in the server: \`PLUGINS=./__DIR__ npm start\` (or the package name once installed).
- Publish: \`npm publish\` (TypeScript as is: RefundSentry strips the types of installed plugins).

The sdk guide: https://github.com/refundsentry/refundsentry/blob/main/sdk/README.md
`;
