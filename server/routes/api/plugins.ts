import type { ServerRoute } from '@hapi/hapi';
import type { ApiDeps } from './context.ts';
import type { PluginsAnswer, Sendable } from '../../../contract/index.ts';

/** `GET /api/plugins`: the loaded signal plugins, their health, and what is failing. */
export function pluginRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/plugins',
      handler: () => {
        const plugins = deps.plugins.reports();
        const failing = plugins.flatMap((p) => p.signals.filter((s) => s.failures > 0 || s.suspendedUntil).map((s) => s.id));
        return { plugins, problems: { notLoaded: plugins.filter((p) => p.status === 'failed').length, failingSignals: failing } } satisfies Sendable<PluginsAnswer>;
      },
    },
  ];
}
