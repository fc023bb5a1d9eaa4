import { Ajv } from 'ajv';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import semver from 'semver';
import { SDK_VERSION, SIGNAL_ID_PATTERN } from '../sdk/index.ts';

/**
 * A plugin's manifest: the `refundsentry` field of its package.json.
 *
 * ```json
 * "refundsentry": {
 *   "sdk": "^1.0.0",
 *   "signals": { "acme.high-risk-postcode": "./signals/high-risk-postcode.ts" }
 * }
 * ```
 * `signals` maps each signal id to the module (relative to the package) whose default export
 * is that signal, made with `defineSignal`. Ids are known before any plugin code runs, so
 * clashes are refused without loading anything.
 */
export interface PluginManifest {
  /** The semver range of `@refundsentry/sdk` the plugin was written against. */
  sdk: string;
  signals: Record<string, string>;
}

export interface PluginPackage {
  name: string;
  version: string;
  description?: string;
  /** Absolute directory of the package. */
  dir: string;
  manifest: PluginManifest;
  /** Signal id → absolute path of its module. */
  modules: Map<string, string>;
}

/** Namespaces of the built-in signals and of rulesets' custom signals: no plugin may add ids there. */
export const RESERVED_NAMESPACES: readonly string[] = Object.freeze(['velocity', 'pattern', 'customer', 'order', 'custom', 'refundsentry']);

const MANIFEST_SCHEMA = {
  type: 'object',
  required: ['name', 'version', 'refundsentry'],
  properties: {
    name: { type: 'string', minLength: 1 },
    version: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    refundsentry: {
      type: 'object',
      required: ['sdk', 'signals'],
      additionalProperties: false,
      properties: {
        sdk: { type: 'string', minLength: 1 },
        signals: {
          type: 'object',
          minProperties: 1,
          maxProperties: 100,
          propertyNames: { pattern: SIGNAL_ID_PATTERN },
          additionalProperties: { type: 'string', pattern: '^\\./', maxLength: 300 },
        },
      },
    },
  },
} as const;

const validateManifest = new Ajv({ allErrors: true, strict: false }).compile(MANIFEST_SCHEMA);

/** A plugin refused before its code ran: bad manifest, incompatible sdk, clashing ids. */
export class PluginManifestError extends Error {
  /** The package's name and version, when its package.json got that far. */
  readonly packageName?: string;
  readonly packageVersion?: string;
  constructor(message: string, pkg?: { name?: unknown; version?: unknown }) {
    super(message);
    this.name = 'PluginManifestError';
    if (typeof pkg?.name === 'string') this.packageName = pkg.name;
    if (typeof pkg?.version === 'string') this.packageVersion = pkg.version;
  }
}

/** Reads and checks `<dir>/package.json`: manifest shape, sdk range, module paths inside the package. */
export async function readPluginPackage(dir: string): Promise<PluginPackage> {
  const file = join(dir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new PluginManifestError(`${file} cannot be read: a plugin is a directory with a package.json`);
  }
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    throw new PluginManifestError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!validateManifest(pkg)) {
    const problems = (validateManifest.errors ?? []).map((e) => {
      const at = e.instancePath.replace(/^\/refundsentry/, 'refundsentry').replace(/^\//, '') || '(package.json)';
      if (e.keyword === 'required') return `${at === '(package.json)' ? '' : `${at}: `}missing "${(e.params as { missingProperty: string }).missingProperty}"`;
      if (e.keyword === 'propertyNames') return `${at}: signal id "${(e.params as { propertyName: string }).propertyName}" is not namespaced kebab-case (vendor.signal-name)`;
      if (e.keyword === 'pattern' && at.startsWith('refundsentry/signals/')) return `${at}: module path must start with "./" (relative to the package)`;
      if (e.keyword === 'additionalProperties') return `${at}: unknown field "${(e.params as { additionalProperty: string }).additionalProperty}"`;
      return `${at}: ${e.message}`;
    });
    throw new PluginManifestError(`${file}: the "refundsentry" manifest is not valid: ${problems.join('; ')}`, pkg as { name?: unknown });
  }
  const { name, version, description, refundsentry: manifest } = pkg as { name: string; version: string; description?: string; refundsentry: PluginManifest };
  if (!semver.validRange(manifest.sdk)) throw new PluginManifestError(`${name}: refundsentry.sdk "${manifest.sdk}" is not a semver range (e.g. "^1.0.0")`, { name, version });
  if (!semver.satisfies(SDK_VERSION, manifest.sdk)) {
    throw new PluginManifestError(`${name} needs @refundsentry/sdk ${manifest.sdk}; this RefundSentry provides sdk ${SDK_VERSION}`, { name, version });
  }
  const modules = new Map<string, string>();
  for (const [id, path] of Object.entries(manifest.signals)) {
    const absolute = resolve(dir, path);
    const inside = relative(dir, absolute);
    if (inside.startsWith('..') || isAbsolute(inside)) throw new PluginManifestError(`${name}: the module of ${id} (${path}) is outside the package`, { name, version });
    modules.set(id, absolute);
  }
  return { name, version, ...(description ? { description } : {}), dir, manifest, modules };
}

/**
 * Ids a plugin may not register: those in reserved namespaces, the built-ins and those of
 * plugins loaded before it. Returns the problems (empty when the plugin may load).
 */
export function idClashes(plugin: PluginPackage, taken: ReadonlyMap<string, string>): string[] {
  const problems: string[] = [];
  for (const id of plugin.modules.keys()) {
    const namespace = id.slice(0, id.indexOf('.'));
    const owner = taken.get(id);
    if (owner !== undefined) problems.push(`${id} is already registered by ${owner}`);
    else if (RESERVED_NAMESPACES.includes(namespace)) problems.push(`${id} uses the reserved namespace "${namespace}." (built-in signals); pick your own, e.g. "${plugin.name.replace(/^@[^/]+\//, '').split(/[^a-z0-9]/)[0] || 'vendor'}."`);
  }
  return problems;
}
