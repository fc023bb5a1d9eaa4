import type { SubjectKind } from '../../sdk/index.ts';
import { contentHashOf, type Ruleset } from '../../engine/index.ts';
import { calibrate, riskOf, type Calibration, type CalibrationBand, type OutcomeRisk } from '../../engine/chargebacks/calibration.ts';
import { settled } from '../../engine/chargebacks/labels.ts';
import type { RulesetNote, RulesetRow, Stores } from '../store/index.ts';
import type { LabelService } from './LabelService.ts';

const TTL_MS = 10 * 60_000;

/**
 * What decides a score: everything of a body but its identity, wording and actions. Versions
 * equal in it (a rollback, an edit of actions only) give the same scores, so they share their
 * outcomes and their fit's held-out calibration.
 */
export function scoringKey(body: Ruleset): string {
  const { version: _v, id: _i, name: _n, description: _d, actions: _a, $schema: _s, ...scoring } = body;
  return contentHashOf(scoring);
}

/** The held-out calibration of a kind in a fit's note (the fitted side), if any. */
function heldOutOf(note: RulesetNote | null | undefined, kind: SubjectKind): CalibrationBand[] | null {
  if (!note || note.kind !== 'fit') return null;
  const report = note.report as { heldOut?: Partial<Record<SubjectKind, { fitted?: { calibration?: CalibrationBand[] } }>> } | null;
  return report?.heldOut?.[kind]?.fitted?.calibration ?? null;
}

/**
 * The risk figures every screen shows (a decision, the order card, the evidence report, orders
 * still to ship): the calibration of the version that decided (`engine/chargebacks/calibration.ts`)
 * from the settled labels of its decisions of the same kind, and those of versions that score the
 * same; a fitted version's held-out calibration stands in until its own outcomes suffice. Cached
 * ten minutes per shop, version and kind.
 */
export class CalibrationService {
  private readonly stores: Stores;
  private readonly labels: LabelService;
  private readonly now: () => number;
  private readonly cache = new Map<string, { at: number; calibration: Promise<Calibration> }>();
  private readonly build: (shopId: string, version: number, kind: SubjectKind) => Promise<Calibration>;

  /**
   * `build` computes a calibration when the cache has none (default `compute` here; the server
   * passes the trial thread's, so that reading a version's decided subjects stays off the main
   * event loop).
   */
  constructor(stores: Stores, labels: LabelService, options: { build?: CalibrationService['build']; now?: () => number } = {}) {
    this.stores = stores;
    this.labels = labels;
    this.build = options.build ?? ((shopId, version, kind) => this.compute(shopId, version, kind));
    this.now = options.now ?? Date.now;
  }

  /** The calibration of a version for a subject kind (cached ten minutes). */
  calibration(shopId: string, version: number, kind: SubjectKind): Promise<Calibration> {
    const key = `${shopId}|${version}|${kind}`;
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < TTL_MS) return hit.calibration;
    const calibration = this.build(shopId, version, kind);
    this.cache.set(key, { at: now, calibration });
    calibration.catch(() => this.cache.delete(key));
    return calibration;
  }

  /** The figure for one decision: its version, kind and score. */
  async riskOf(shopId: string, decision: { version: number; kind: SubjectKind; score: number }): Promise<OutcomeRisk> {
    return riskOf(await this.calibration(shopId, decision.version, decision.kind), decision.score);
  }

  /** Forgets a shop's calibrations (a label was added, a version published). */
  forget(shopId: string): void {
    for (const key of this.cache.keys()) if (key.startsWith(`${shopId}|`)) this.cache.delete(key);
  }

  /** The calibration of a version for a kind, computed now (uncached). */
  async compute(shopId: string, version: number, kind: SubjectKind): Promise<Calibration> {
    const versions: RulesetRow[] = await this.stores.rulesets.list(shopId);
    const own = versions.find((v) => v.version === version);
    const key = own ? scoringKey(own.body) : null;
    const group = own ? versions.filter((v) => scoringKey(v.body) === key) : [];
    // Its own fit first, else the latest fit among the versions that score the same.
    const noted = [own, ...group.filter((v) => v !== own)].find((v) => heldOutOf(v?.note, kind) !== null);
    const labelled = await this.labels.labelled(shopId, { kind, versions: group.length ? group.map((v) => v.version) : [version] });
    const outcomes = labelled.flatMap(({ subject, label }) => {
      const positive = settled(label);
      return positive === undefined ? [] : [{ score: subject.score, positive }];
    });
    return calibrate(outcomes, { version, kind, heldOut: noted ? heldOutOf(noted.note, kind) : null });
  }
}
