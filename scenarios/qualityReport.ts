import type { CompiledRuleset, Decision, Zone } from '../engine/index.ts';
import { replayHistory, type HistoryEvent } from '../engine/history/index.ts';
import { ABUSIVE_PATTERNS, type EventLabel, type Pattern } from './generateShop.ts';

export interface ZoneMix {
  events: number;
  low: number;
  medium: number;
  high: number;
}

export interface PatternQuality {
  pattern: Pattern;
  /** The pattern's target events (e.g. a wardrober's returns). */
  targets: number;
  /** Share of targets scored HIGH. */
  recallHigh: number;
  /** Share of targets scored MEDIUM or HIGH. */
  recallMediumOrHigh: number;
}

export interface QualityReport {
  decisions: number;
  patterns: PatternQuality[];
  /** Share of HIGH decisions that belong to customers following an abuse pattern. */
  precisionHigh: number;
  highDecisions: number;
  honest: ZoneMix;
  honestHeavyReturners: ZoneMix;
  /** Share of each subject kind's decisions per zone, over every decision. */
  byKind: Record<string, ZoneMix>;
}

/** Replays a history point-in-time and scores every decision against the labels. */
export function qualityOfReplay(events: readonly HistoryEvent[], labels: readonly EventLabel[], compiled: CompiledRuleset, shopId: string): QualityReport {
  const labelOf = new Map(labels.map((label) => [label.subjectId, label]));
  const decisions: Decision[] = [];
  for (const { decision } of replayHistory(events, compiled, { shopId })) decisions.push(decision);
  const withLabels = decisions.map((decision) => ({ decision, label: labelOf.get(decision.subject.id) }));

  const patterns = [...ABUSIVE_PATTERNS].map((pattern): PatternQuality => {
    const targets = withLabels.filter((d) => d.label?.pattern === pattern && d.label.target);
    return {
      pattern,
      targets: targets.length,
      recallHigh: share(targets, (d) => d.decision.zone === 'high'),
      recallMediumOrHigh: share(targets, (d) => d.decision.zone !== 'low'),
    };
  });
  const high = withLabels.filter((d) => d.decision.zone === 'high');
  const mixOf = (pattern: Pattern) => zoneMix(withLabels.filter((d) => d.label?.pattern === pattern).map((d) => d.decision.zone));
  const byKind: Record<string, ZoneMix> = {};
  for (const kind of ['order', 'return', 'refund']) byKind[kind] = zoneMix(decisions.filter((d) => d.subject.kind === kind).map((d) => d.zone));
  return {
    decisions: decisions.length,
    patterns,
    precisionHigh: share(high, (d) => d.label !== undefined && ABUSIVE_PATTERNS.has(d.label.pattern)),
    highDecisions: high.length,
    honest: mixOf('honest'),
    honestHeavyReturners: mixOf('honest-heavy-returner'),
    byKind,
  };
}

export function zoneMix(zones: readonly Zone[]): ZoneMix {
  const mix: ZoneMix = { events: zones.length, low: 0, medium: 0, high: 0 };
  for (const zone of zones) mix[zone]++;
  return mix;
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.length === 0 ? 0 : items.filter(predicate).length / items.length;
}

export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}

export function formatMix(mix: ZoneMix): string {
  const p = (n: number) => percent(mix.events === 0 ? 0 : n / mix.events);
  return `${String(mix.events).padStart(6)} events   LOW ${p(mix.low).padStart(6)}   MEDIUM ${p(mix.medium).padStart(6)}   HIGH ${p(mix.high).padStart(6)}`;
}
