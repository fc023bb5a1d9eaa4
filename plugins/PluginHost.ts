import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { defineSignal, type AnySignal, type SignalMeta, type SignalOutcome } from '../sdk/index.ts';
import { contextProjector } from './projectContext.ts';
import { idClashes, PluginManifestError, readPluginPackage, type PluginPackage } from './manifest.ts';
import { DEFAULT_LIMITS, PluginCallError, PluginWorker, type PluginLimits } from './PluginWorker.ts';

export interface PluginHostOptions {
  /** Where relative paths and package names are resolved from (default: the working directory). */
  baseDir?: string;
  /** Ids already taken (the built-in signals), refused to plugins. */
  builtinIds: Iterable<string>;
  limits?: Partial<PluginLimits>;
  /** Consecutive failures after which a plugin signal is suspended (default 5). */
  suspendAfter?: number;
  /** How long a suspended signal answers `error` without being called (default 60 s). */
  suspendMs?: number;
  /** Wall clock for health records and suspensions (tests inject one). */
  now?: () => number;
}

// A plugin's report and its signals' health are the API contract's (`GET /api/plugins`).
export type { PluginReport, SignalHealth } from '../contract/plugins.ts';
import type { PluginReport, SignalHealth } from '../contract/plugins.ts';

interface LoadedPlugin {
  report: PluginReport;
  worker?: PluginWorker;
  health: Map<string, SignalHealth & { suspendedUntilMs?: number }>;
}

/**
 * Third-party signal plugins, loaded from directories or installed packages, each running in
 * its own worker thread (see PluginWorker). A plugin that cannot load is reported and left
 * out; the rest of the app starts without it. Its signals are ordinary signals to the engine:
 * their `evaluate` is a synchronous call into the plugin's worker, so live scoring, backfill
 * and the simulator use them exactly as they use built-ins.
 */
export class PluginHost {
  readonly signals: readonly AnySignal[];
  private readonly plugins: LoadedPlugin[];
  private readonly byId: Map<string, LoadedPlugin>;

  private constructor(plugins: LoadedPlugin[], signals: AnySignal[]) {
    this.plugins = plugins;
    this.signals = Object.freeze(signals);
    this.byId = new Map(plugins.flatMap((p) => (p.report.status === 'loaded' ? p.report.signalIds.map((id) => [id, p] as const) : [])));
  }

  /** An empty host: no plugins configured. */
  static none(): PluginHost {
    return new PluginHost([], []);
  }

  static async load(specs: readonly string[], options: PluginHostOptions): Promise<PluginHost> {
    const baseDir = resolve(options.baseDir ?? process.cwd());
    const limits: PluginLimits = { ...DEFAULT_LIMITS, ...options.limits };
    const now = options.now ?? Date.now;
    const suspendAfter = options.suspendAfter ?? 5;
    const suspendMs = options.suspendMs ?? 60_000;
    const taken = new Map<string, string>([...options.builtinIds].map((id) => [id, 'a built-in signal']));
    const plugins: LoadedPlugin[] = [];
    const signals: AnySignal[] = [];
    for (const spec of specs) {
      const report: PluginReport = { spec, status: 'failed', signalIds: [], restarts: 0, signals: [] };
      const plugin: LoadedPlugin = { report, health: new Map() };
      plugins.push(plugin);
      let pkg: PluginPackage;
      try {
        pkg = await readPluginPackage(await locatePlugin(spec, baseDir));
        Object.assign(report, { name: pkg.name, version: pkg.version, dir: pkg.dir, signalIds: [...pkg.modules.keys()], ...(pkg.description ? { description: pkg.description } : {}) });
        const clashes = idClashes(pkg, taken);
        if (clashes.length > 0) throw new PluginManifestError(`${pkg.name} refused: ${clashes.join('; ')}`);
      } catch (error) {
        report.error = (error as Error).message;
        if (error instanceof PluginManifestError && !report.name && error.packageName) Object.assign(report, { name: error.packageName, ...(error.packageVersion ? { version: error.packageVersion } : {}) });
        continue;
      }
      const worker = new PluginWorker(pkg.modules, limits, (reason) => {
        report.lastExit = reason;
      });
      let metas: unknown[];
      try {
        metas = await worker.start();
      } catch (error) {
        await worker.close();
        report.error = `${pkg.name} failed to load: ${(error as Error).message}`;
        continue;
      }
      const made: AnySignal[] = [];
      try {
        for (const meta of metas as SignalMeta[]) {
          const health: SignalHealth & { suspendedUntilMs?: number } = { id: meta.id, calls: 0, failures: 0, failuresByKind: {}, consecutiveFailures: 0 };
          plugin.health.set(meta.id, health);
          made.push(defineSignal<Record<string, unknown>>({ meta, evaluate: (ctx, params) => isolatedCall(worker, health, meta.id, ctx, params, { now, suspendAfter, suspendMs }) }));
        }
      } catch (error) {
        await worker.close();
        report.error = `${pkg.name} failed to load: ${(error as Error).message}`;
        continue;
      }
      worker.project = contextProjector(made.flatMap((signal) => signal.meta.needs));
      plugin.worker = worker;
      report.status = 'loaded';
      for (const id of report.signalIds) taken.set(id, `plugin ${pkg.name}`);
      signals.push(...made);
    }
    return new PluginHost(plugins, signals);
  }

  /** Which plugin a signal comes from (undefined for built-ins). */
  pluginOf(signalId: string): { name: string; version: string } | undefined {
    const plugin = this.byId.get(signalId);
    return plugin ? { name: plugin.report.name!, version: plugin.report.version! } : undefined;
  }

  /** Why a signal is not registered: the plugin that declares it failed to load, or none declares it. */
  unavailableReason(signalId: string): string {
    const failed = this.plugins.find((p) => p.report.status === 'failed' && p.report.signalIds.includes(signalId));
    return failed ? `its plugin ${failed.report.name ?? failed.report.spec} is not loaded (${failed.report.error})` : 'no loaded plugin provides it';
  }

  /** Every configured plugin, loaded or not, with its signals' health. */
  reports(): PluginReport[] {
    return this.plugins.map(({ report, worker, health }) => ({
      ...report,
      restarts: worker?.restarts ?? 0,
      ...(worker?.lastExit ?? report.lastExit ? { lastExit: worker?.lastExit ?? report.lastExit } : {}),
      signals: [...health.values()].map(({ suspendedUntilMs: _, ...h }) => ({ ...h, failuresByKind: { ...h.failuresByKind } })),
    }));
  }

  async close(): Promise<void> {
    await Promise.all(this.plugins.map((p) => p.worker?.close()));
  }
}

/** A plugin spec is a directory (absolute, or relative to baseDir) or an installed package's name. */
async function locatePlugin(spec: string, baseDir: string): Promise<string> {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const dir = resolve(baseDir, spec);
    if (!(await stat(dir).catch(() => undefined))?.isDirectory()) throw new PluginManifestError(`plugin directory ${dir} does not exist`);
    return dir;
  }
  try {
    return dirname(createRequire(join(baseDir, 'package.json')).resolve(`${spec}/package.json`));
  } catch {
    throw new PluginManifestError(`plugin "${spec}" is not installed (npm install ${spec}) and is not a directory (write ./${spec} for a local one)`);
  }
}

function isolatedCall(
  worker: PluginWorker,
  health: SignalHealth & { suspendedUntilMs?: number },
  id: string,
  ctx: Parameters<AnySignal['evaluate']>[0],
  params: object,
  policy: { now: () => number; suspendAfter: number; suspendMs: number },
): SignalOutcome {
  const failed = (kind: string, message: string): SignalOutcome => {
    health.failures++;
    health.failuresByKind[kind] = (health.failuresByKind[kind] ?? 0) + 1;
    health.lastFailure = { at: new Date(policy.now()).toISOString(), message };
    if (kind !== 'suspended' && ++health.consecutiveFailures >= policy.suspendAfter) {
      health.suspendedUntilMs = policy.now() + policy.suspendMs;
      health.suspendedUntil = new Date(health.suspendedUntilMs).toISOString();
    }
    return { status: 'error', message };
  };
  health.calls++;
  if (health.suspendedUntilMs !== undefined) {
    if (policy.now() < health.suspendedUntilMs) return failed('suspended', `suspended after ${health.consecutiveFailures} consecutive failures until ${health.suspendedUntil} (last: ${health.lastFailure?.message ?? '?'})`);
    delete health.suspendedUntilMs;
    delete health.suspendedUntil;
  }
  let result: SignalOutcome;
  try {
    result = worker.call(id, ctx, params);
  } catch (error) {
    return failed(error instanceof PluginCallError ? error.failure : 'crashed', (error as Error).message);
  }
  if (result.status === 'error') {
    const message = result.message ?? 'error';
    return failed(/returned a malformed result/.test(message) ? 'invalid-result' : 'threw', message);
  }
  health.consecutiveFailures = 0;
  // The worker already rendered the message; hand it over as a literal (messageId is kept out so it is not rendered twice).
  return { status: result.status, strength: result.strength, evidence: result.evidence, message: result.message } as SignalOutcome;
}
