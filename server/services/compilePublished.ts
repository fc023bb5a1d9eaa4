import { compileRuleset, createRegistry, RulesetValidationError, type CompiledRuleset, type CompileOptions, type Ruleset, type SignalRegistry } from '../../engine/index.ts';
import { defineSignal, type AnySignal } from '../../sdk/index.ts';

/**
 * Compiles a version that is (or was) published. Such a version was valid when it was
 * published; if it now names signals this server does not have (a plugin that was removed or
 * failed to load), it must still score: each missing signal becomes one that answers
 * `status: error` with the reason, so decisions complete and their traces say what is missing.
 * Any other problem still throws. Drafts are validated strictly elsewhere.
 */
export function compilePublished(body: Ruleset, registry: SignalRegistry, why: (id: string) => string = () => 'no loaded plugin provides it', options: CompileOptions = {}): CompiledRuleset {
  try {
    return compileRuleset(body, registry, options);
  } catch (error) {
    if (!(error instanceof RulesetValidationError)) throw error;
    const errors = error.problems.filter((p) => p.severity === 'error');
    if (errors.length === 0 || errors.some((p) => p.code !== 'unknown-signal')) throw error;
    const missing = Object.keys(body.signals).filter((id) => !registry.has(id));
    const lenient = structuredClone(body);
    for (const id of missing) delete lenient.signals[id]!.params; // their schema is unknown
    return compileRuleset(lenient, createRegistry([...registry.list(), ...missing.map((id) => unavailableSignal(id, why(id)))]), options);
  }
}

function unavailableSignal(id: string, reason: string): AnySignal {
  return defineSignal({
    meta: {
      id,
      version: '0.0.0',
      title: 'Unavailable signal',
      description: `${id} is named by the ruleset but not available on this server: ${reason}.`,
      category: 'order',
      appliesTo: ['order', 'return', 'refund'],
      defaultWeight: 0,
      params: { type: 'object', properties: {} },
      needs: [],
    },
    evaluate: () => ({ status: 'error', message: `signal ${id} is not available: ${reason}` }),
  });
}
