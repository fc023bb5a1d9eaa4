import type { ServerRoute } from '@hapi/hapi';
import type { ApiDeps } from './context.ts';
import type { Sendable, SignalCatalog } from '../../../contract/index.ts';

/** `GET /api/signals`: the signal catalog (for the editor's completion), plugin signals with their plugin. */
export function signalRoutes(deps: ApiDeps): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/api/signals',
      handler: () => ({
        signals: deps.registry.list().map((s) => ({
          id: s.meta.id,
          version: s.meta.version,
          title: s.meta.title,
          description: s.meta.description,
          category: s.meta.category,
          appliesTo: s.meta.appliesTo,
          defaultWeight: s.meta.defaultWeight,
          params: s.meta.params,
          deprecated: s.meta.deprecated ?? false,
          ...(deps.plugins.pluginOf(s.meta.id) ? { plugin: deps.plugins.pluginOf(s.meta.id) } : {}),
        })),
      }) satisfies Sendable<SignalCatalog>,
    },
  ];
}
