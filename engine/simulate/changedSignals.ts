import type { CompiledRuleset, SignalSpec } from '../compileRuleset.ts';

export interface ChangedSignal {
  id: string;
  /** `added`: not run by the live ruleset; `version`: other signal logic; `params`: other resolved params (custom: other config or derived facts); `kinds`: scores other subject kinds. */
  reason: 'added' | 'version' | 'params' | 'kinds';
  spec: SignalSpec;
}

export interface SignalChanges {
  /** Signals whose stored results cannot be reused: they must run again. */
  changed: ChangedSignal[];
  /** Signals whose stored results stay valid (same version, params and kinds). */
  unchanged: SignalSpec[];
  /** Signals the live ruleset ran and the draft does not (their stored results add nothing). */
  removed: string[];
}

/**
 * Which signals of a draft give other results than the live ruleset's on the same contexts:
 * those added, or whose version, resolved params or subject kinds differ. Weights, zones,
 * insufficient-data weights and actions are scoring, not signal results, and change nothing here.
 */
export function changedSignals(live: CompiledRuleset, draft: CompiledRuleset): SignalChanges {
  const before = new Map(live.signalSpecs().map((s) => [s.id, s]));
  const changed: ChangedSignal[] = [];
  const unchanged: SignalSpec[] = [];
  for (const spec of draft.signalSpecs()) {
    const old = before.get(spec.id);
    before.delete(spec.id);
    const reason = !old ? 'added' : old.version !== spec.version ? 'version' : old.key !== spec.key ? 'params' : old.kinds.join() !== spec.kinds.join() ? 'kinds' : undefined;
    if (reason) changed.push({ id: spec.id, reason, spec });
    else unchanged.push(spec);
  }
  return { changed, unchanged, removed: [...before.keys()].sort() };
}
