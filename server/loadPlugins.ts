import type { Logger } from 'pino';
import { PluginHost } from '../plugins/PluginHost.ts';
import { builtinSignals } from '../signals/index.ts';
import type { Config } from './config.ts';

/** Loads the configured plugins; one that fails is logged with its reason and left out. */
export async function loadPlugins(config: Config, log: Logger): Promise<PluginHost> {
  if (config.plugins.specs.length === 0) return PluginHost.none();
  const host = await PluginHost.load(config.plugins.specs, {
    builtinIds: builtinSignals.map((s) => s.meta.id),
    limits: { timeBudgetMs: config.plugins.timeBudgetMs, memoryMb: config.plugins.memoryMb },
  });
  for (const report of host.reports()) {
    if (report.status === 'loaded') log.info({ plugin: report.name, version: report.version, signals: report.signalIds }, 'signal plugin loaded');
    else log.error({ plugin: report.spec, reason: report.error }, `signal plugin ${report.spec} NOT loaded: ${report.error}`);
  }
  return host;
}
