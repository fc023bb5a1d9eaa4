import type { SubjectKind } from '../../sdk/index.ts';
import type { ParsedSignal } from '../plan.ts';
import type { SignalConfig } from '../ruleset.ts';
import { isIdentityCurve, type StrengthCurve } from '../strengthCurve.ts';

/**
 * Compile stage: what a registered signal's hit is worth, per subject kind, as the ruleset says
 * (the kernel, `score.ts`, multiplies: points = curve(strength) × weight). Read from a ruleset
 * that validated (`validateRuleset.ts` checked every weight and curve), so nothing here fails.
 */
export interface SignalWeights {
  /** Points at full strength for kinds without their own (`weight`, else the signal's default). */
  weight: number;
  /** The kinds with their own weight (`weightByKind`); the others score with `weight`. */
  weightByKind: Readonly<Partial<Record<SubjectKind, number>>>;
  /** The strength curve of kinds without their own (`curve`); undefined: the identity. */
  curve: StrengthCurve | undefined;
  /** The kinds with their own curve (`curveByKind`); an identity curve is kept as undefined (and still overrides `curve`). */
  curveByKind: Readonly<Partial<Record<SubjectKind, StrengthCurve | undefined>>>;
  /** Points for `insufficient_data`, one for every kind: `insufficientWeight`, else `scoring.insufficientDataFactor` × `weight`. */
  insufficientWeight: number;
}

const KINDS = ['order', 'return', 'refund'] as const;

/** A signal's weights and curves as `config` (its entry in `ruleset.signals`) sets them; `factor` is `scoring.insufficientDataFactor` (default 0). */
export function signalWeights(parsed: ParsedSignal, config: SignalConfig, factor: number): SignalWeights {
  const weight = config.weight ?? parsed.signal.meta.defaultWeight;
  const weightByKind: Partial<Record<SubjectKind, number>> = {};
  const curveByKind: Partial<Record<SubjectKind, StrengthCurve | undefined>> = {};
  for (const kind of KINDS) {
    const own = config.weightByKind?.[kind];
    if (typeof own === 'number') weightByKind[kind] = own;
    const ownCurve = config.curveByKind?.[kind];
    if (Array.isArray(ownCurve)) curveByKind[kind] = resolvedCurve(ownCurve);
  }
  return {
    weight,
    weightByKind,
    curve: Array.isArray(config.curve) ? resolvedCurve(config.curve) : undefined,
    curveByKind,
    // One insufficient-data weight for every kind, from the base weight (not per kind).
    insufficientWeight: config.insufficientWeight ?? factor * weight,
  };
}

/** The weight a signal scores `kind` with: the kind's own, else its base weight. */
export function weightFor(weights: SignalWeights, kind: SubjectKind): number {
  return weights.weightByKind[kind] ?? weights.weight;
}

/** The curve a signal scores `kind`'s hits through: the kind's own (an identity one too), else its base curve. */
export function curveFor(weights: SignalWeights, kind: SubjectKind): StrengthCurve | undefined {
  return kind in weights.curveByKind ? weights.curveByKind[kind] : weights.curve;
}

/** A checked curve as the kernel reads it: undefined for the identity (points exactly as without one), else a copy. */
function resolvedCurve(curve: StrengthCurve): StrengthCurve | undefined {
  return isIdentityCurve(curve) ? undefined : curve.map(([x, y]) => [x, y] as const);
}
