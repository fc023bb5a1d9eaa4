import type { LabelSource } from '../engine/chargebacks/labels.ts';
import type { WeightSuggestion } from '../engine/learn/suggestWeights.ts';
import type { Instant, Zone } from './common.ts';

export type { WeightSuggestion };

/** What accepting one or more proposals changes, computed by re-weighing the stored signal results. */
export interface ProposalPreview {
  /** The decisions of the window (subject time), re-weighed with the live weights and with the change. */
  window: { from: Instant; to: Instant; subjects: number; before: Record<Zone, number>; after: Record<Zone, number>; changed: number };
  /** Among the labelled subjects the proposals learned from: fraud caught and honest subjects flagged, at HIGH and at MEDIUM or above. */
  labelled: {
    fraud: number;
    legit: number;
    high: { caught: { before: number; after: number }; falseAlarms: { before: number; after: number } };
    mediumPlus: { caught: { before: number; after: number }; falseAlarms: { before: number; after: number } };
  };
}

/** The labels behind a proposal: the labelled subjects on which its signal fired, by class and source. */
export type LabelsBehind = Record<'fraud' | 'legit', Partial<Record<LabelSource, number>>>;

/** A weight suggestion as an explained proposal: the labels behind it, its evidence in words, what accepting it alone changes. */
export interface Proposal extends WeightSuggestion {
  behind: LabelsBehind;
  /** The evidence in plain words. */
  evidence: string;
  preview: ProposalPreview;
}

/** `GET /api/suggestions?days=`. */
export interface ProposalList {
  version: number;
  labelled: number;
  fraud: number;
  note?: string;
  suggestions: Proposal[];
  /** All the proposals accepted together. */
  preview: ProposalPreview | null;
}

/** `POST /api/suggestions/accept` (`{signalIds, days?}`). */
export interface AcceptSuggestionsRequest {
  signalIds: string[];
  days?: number;
}
