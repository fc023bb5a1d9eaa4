import { type Decision, type Ruleset, type Zone } from '../../engine/index.ts';
import { strengthFeature, suggestWeights, type WeightSuggestion } from '../../engine/learn/suggestWeights.ts';
import { reweigh, SignalMatrix } from '../../engine/simulate/signalMatrix.ts';
import { settled, type LabelSource } from '../../engine/chargebacks/labels.ts';
import type { SignalStatus, SubjectKind } from '../../sdk/index.ts';
import type { RulesetRow, Stores } from '../store/index.ts';
import type { LabelService } from './LabelService.ts';
import type { RulesetService } from './RulesetService.ts';
import type { LabelsBehind, Proposal, ProposalList, ProposalPreview } from '../../contract/suggestions.ts';

export type { LabelsBehind, Proposal, ProposalList, ProposalPreview };

const DAY_MS = 86_400_000;

type SignalLine = { id: string; status: string; strength: number };

// The answers' shapes are the API contract's (contract/suggestions.ts): the admin reads them as they are.

interface Material {
  live: RulesetRow;
  labelled: { kind: SubjectKind; positive: boolean; source: LabelSource; signals: SignalLine[] }[];
  window: { from: Date; to: Date; rows: { kind: SubjectKind; signals: SignalLine[] }[] };
}

/** A ruleset body with the proposals' weights (the signal's base weight; kinds with their own weight keep it). */
export function withProposals(body: Ruleset, proposals: readonly Pick<WeightSuggestion, 'signalId' | 'suggestedWeight'>[]): Ruleset {
  const next = structuredClone(body) as Ruleset;
  for (const p of proposals) next.signals[p.signalId] = { ...next.signals[p.signalId], weight: p.suggestedWeight };
  return next;
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
const SOURCE_WORDS: Record<LabelSource, [one: string, many: string]> = {
  'fraud-chargeback': ['fraud chargeback', 'fraud chargebacks'],
  'double-dip': ['double dip', 'double dips'],
  merchant: ['labelled by you', 'labelled by you'],
  aging: ['matured without a dispute', 'matured without a dispute'],
};
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

/** The evidence of a suggestion in words a merchant reads. */
export function evidenceInWords(s: WeightSuggestion, behind: LabelsBehind, labelled: number, fraud: number): string {
  const base = labelled > 0 ? fraud / labelled : 0;
  const parts = (counts: Partial<Record<LabelSource, number>>) => Object.entries(counts).filter(([, n]) => n! > 0).map(([source, n]) => plural(n!, ...SOURCE_WORDS[source as LabelSource])).join(', ');
  const legit = s.support - s.fraudWhenFired;
  const direction = s.lift === null ? '' : s.lift >= 1 ? `, ${s.lift}× the shop's ${pct(base)}: it points toward fraud` : `, against the shop's ${pct(base)}: it points away from fraud`;
  const strength = s.confidence >= 0.7 ? 'strong' : s.confidence >= 0.4 ? 'moderate' : 'weak';
  const move = s.suggestedWeight > s.currentWeight ? 'raise' : 'lower';
  return `It fired on ${plural(s.support, 'order, return or refund', 'orders, returns and refunds')} whose outcome is known: ${s.fraudWhenFired} fraud${s.fraudWhenFired ? ` (${parts(behind.fraud)})` : ''} and ${legit} legit${legit ? ` (${parts(behind.legit)})` : ''}, so ${pct(s.fraudWhenFired / s.support)} fraud when it fires${direction}. `
    + `Evidence ${strength} (confidence ${s.confidence}: it fired on ${s.support.toLocaleString('en')} of the ${labelled.toLocaleString('en')} with a known outcome), so the proposal is to ${move} its weight from ${s.currentWeight} to ${s.suggestedWeight}, only as far as that evidence allows.`;
}

/**
 * Weight suggestions as explained proposals (`GET /api/suggestions`): learned from the settled
 * labels (`LabelService`, the same the fit uses) by `suggestWeights`, each with the labels behind
 * it and its evidence in words, and a preview of what accepting it changes (zone counts over the
 * window, fraud caught and false alarms among the labelled subjects), computed by re-weighing the
 * stored signal results (`engine/simulate/signalMatrix.ts`); `accept` turns chosen proposals into
 * a draft version in one call.
 */
export class SuggestionService {
  private readonly stores: Stores;
  private readonly rulesets: RulesetService;
  private readonly labels: LabelService;
  private readonly now: () => number;

  constructor(stores: Stores, rulesets: RulesetService, labels: LabelService, now: () => number = Date.now) {
    this.stores = stores;
    this.rulesets = rulesets;
    this.labels = labels;
    this.now = now;
  }

  /** The proposals for the published version; undefined when the shop has none published. */
  async proposals(shopId: string, days = 90): Promise<ProposalList | undefined> {
    return (await this.build(shopId, days))?.list;
  }

  private async build(shopId: string, days: number): Promise<{ list: ProposalList; material: Material; preview: (proposals: readonly Pick<WeightSuggestion, 'signalId' | 'suggestedWeight'>[]) => ProposalPreview } | undefined> {
    const material = await this.material(shopId, days);
    if (!material) return undefined;
    const { live, labelled } = material;
    const liveCompiled = this.rulesets.compiled(live.body, live.content_hash);
    const result = suggestWeights(labelled.map((l) => ({ label: l.positive ? 'fraud' : 'legit', decision: { signals: l.signals as unknown as Decision['signals'] } })), liveCompiled);
    const context = this.previewContext(material);
    const suggestions = result.suggestions.map((s): Proposal => {
      const behind = this.behind(labelled, s.signalId);
      return { ...s, behind, evidence: evidenceInWords(s, behind, result.labelled, result.fraud), preview: context.preview([s]) };
    });
    const list: ProposalList = {
      version: live.version,
      labelled: result.labelled,
      fraud: result.fraud,
      ...(result.note ? { note: result.note } : {}),
      suggestions,
      preview: suggestions.length > 0 ? context.preview(suggestions) : null,
    };
    return { list, material, preview: context.preview };
  }

  /** Saves the chosen proposals (by signal id) as a draft of the published version, with the evidence as its note. */
  async accept(shopId: string, signalIds: readonly string[], user: string, days = 90): Promise<{ draft: RulesetRow; accepted: Proposal[] } | { unknown: string[] } | undefined> {
    const built = await this.build(shopId, days);
    if (!built) return undefined;
    const { list, material } = built;
    const byId = new Map(list.suggestions.map((s) => [s.signalId, s]));
    const unknown = signalIds.filter((id) => !byId.has(id));
    if (unknown.length > 0) return { unknown };
    const accepted = [...new Set(signalIds)].map((id) => byId.get(id)!);
    const live = material.live;
    const body = withProposals(live.body, accepted);
    const draft = await this.rulesets.saveDraft(shopId, body, user, null, {
      kind: 'suggestions',
      fittedFrom: live.version,
      asOf: new Date(this.now()).toISOString(),
      accepted: accepted.map(({ preview: _preview, ...p }) => p),
      preview: built.preview(accepted),
    });
    return { draft, accepted };
  }

  private async material(shopId: string, days: number): Promise<Material | undefined> {
    const live = await this.stores.rulesets.published(shopId);
    if (!live) return undefined;
    const to = new Date(this.now());
    const from = new Date(to.getTime() - days * DAY_MS);
    const [labelled, window] = await Promise.all([this.labels.labelled(shopId, { asOf: to, withSignals: true }), this.stores.decisions.signalsSince(shopId, from)]);
    return {
      live,
      labelled: labelled.flatMap(({ subject, label }) => {
        const positive = settled(label);
        return positive === undefined ? [] : [{ kind: subject.facts.kind, positive, source: label.source!, signals: subject.signals ?? [] }];
      }),
      window: { from, to, rows: window.map((r) => ({ kind: r.subject_kind as SubjectKind, signals: r.signals as unknown as SignalLine[] })) },
    };
  }

  private behind(labelled: Material['labelled'], signalId: string): LabelsBehind {
    const behind: LabelsBehind = { fraud: {}, legit: {} };
    for (const row of labelled) {
      const line = row.signals.find((s) => s.id === signalId);
      if (!line || strengthFeature(line as Parameters<typeof strengthFeature>[0]) === 0) continue;
      const side = behind[row.positive ? 'fraud' : 'legit'];
      side[row.source] = (side[row.source] ?? 0) + 1;
    }
    return behind;
  }

  /**
   * Re-weighs the window's and the labelled subjects' stored results with the live body and with
   * proposals applied; a line stored snoozed stays at 0 points, as it was decided (the kernel's rule).
   */
  private previewContext(material: Material) {
    const matrixOf = (rows: readonly { kind: SubjectKind; signals: SignalLine[] }[]) =>
      SignalMatrix.fromResults(rows.map((r, i) => ({ subjectId: String(i), kind: r.kind, signals: r.signals as { id: string; status: SignalStatus; strength: number; snoozed?: unknown }[] })), { snoozes: true });
    const windowMatrix = matrixOf(material.window.rows);
    const labelledMatrix = matrixOf(material.labelled);
    const live = this.rulesets.compiled(material.live.body, material.live.content_hash);
    const before = { window: reweigh(windowMatrix, live), labelled: reweigh(labelledMatrix, live) };
    const positives = material.labelled.map((l) => l.positive);
    const tally = (zones: Uint8Array, min: number) => {
      let caught = 0;
      let falseAlarms = 0;
      zones.forEach((z, i) => {
        if (z < min) return;
        if (positives[i]) caught++;
        else falseAlarms++;
      });
      return { caught, falseAlarms };
    };
    const fraud = positives.filter(Boolean).length;
    return {
      preview: (proposals: readonly Pick<WeightSuggestion, 'signalId' | 'suggestedWeight'>[]): ProposalPreview => {
        const draft = this.rulesets.compiled(withProposals(material.live.body, proposals));
        const window = reweigh(windowMatrix, draft);
        const labelled = reweigh(labelledMatrix, draft);
        let changed = 0;
        window.zones.forEach((z, i) => (changed += z !== before.window.zones[i] ? 1 : 0));
        const [hb, ha, mb, ma] = [tally(before.labelled.zones, 2), tally(labelled.zones, 2), tally(before.labelled.zones, 1), tally(labelled.zones, 1)];
        return {
          window: { from: material.window.from.toISOString(), to: material.window.to.toISOString(), subjects: windowMatrix.subjects, before: before.window.counts, after: window.counts, changed },
          labelled: {
            fraud,
            legit: positives.length - fraud,
            high: { caught: { before: hb.caught, after: ha.caught }, falseAlarms: { before: hb.falseAlarms, after: ha.falseAlarms } },
            mediumPlus: { caught: { before: mb.caught, after: ma.caught }, falseAlarms: { before: mb.falseAlarms, after: ma.falseAlarms } },
          },
        };
      },
    };
  }
}
