import type { ContextNeed, SignalContext } from '../sdk/index.ts';

/**
 * The part of a context a plugin's signals declared they read (`meta.needs`, the union over
 * the plugin's signals): only that crosses to the plugin's worker, which is most of what
 * isolation costs. `shopId` and `now` always go. A part left out is absent, so a signal that
 * reads what it did not declare fails loudly (status error) instead of seeing an empty history,
 * the same contract SignalTester enforces in its tests.
 */
export function contextProjector(needs: Iterable<ContextNeed>): (ctx: SignalContext) => SignalContext {
  const wanted = new Set(needs);
  const historyParts = [...wanted].filter((n) => n.startsWith('history.')).map((n) => n.slice('history.'.length));
  const top = (['subject', 'customer', 'baseline', 'lists', 'derived'] as const).filter((n) => wanted.has(n));
  return (ctx) => {
    const projected: Record<string, unknown> = { shopId: ctx.shopId, now: ctx.now };
    for (const part of top) projected[part] = ctx[part];
    if (historyParts.length > 0) {
      const history: Record<string, unknown> = {};
      for (const part of historyParts) history[part] = (ctx.history as unknown as Record<string, unknown>)[part];
      projected.history = history;
    }
    return projected as unknown as SignalContext;
  };
}
