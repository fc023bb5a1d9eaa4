import type { Zone } from './common.ts';
import type { DecisionSummary } from './decisions.ts';

/** `GET /api/customers/{id}`: the customer's aggregate, trajectory and decisions (oldest first). */
export interface CustomerProfile {
  id: string;
  tags: string[];
  manualOverride: 'trusted' | 'flagged' | null;
  currentZone: Zone | null;
  lastScore: number | null;
  decisionsCount: number;
  averageScore: number | null;
  trajectory: 'rising' | 'declining' | 'stable' | 'unknown';
  history: DecisionSummary[];
}
