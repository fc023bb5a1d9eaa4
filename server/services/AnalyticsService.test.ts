import { describe, expect, it } from 'vitest';
import { goalProgress } from './AnalyticsService.ts';

const goal = { metric: 'chargebacks' as const, reduceByPct: 40, startsOn: new Date('2026-01-01T00:00:00Z'), endsOn: new Date('2026-04-01T00:00:00Z') };
const during = new Date('2026-02-15T00:00:00Z');
const after = new Date('2026-05-01T00:00:00Z');

describe('goal progress', () => {
  it('measures the reduction achieved against the one intended', () => {
    // Baseline 10 a day, target 6: at 8 a day half the way is done.
    expect(goalProgress(goal, 10, 8, during)).toEqual({ baseline: 10, target: 6, current: 8, progress: 0.5, status: 'behind' });
    expect(goalProgress(goal, 10, 5, during)).toEqual({ baseline: 10, target: 6, current: 5, progress: 1.25, status: 'on track' });
    expect(goalProgress(goal, 10, 12, during)).toMatchObject({ progress: -0.5, status: 'behind' });
  });

  it('says when a goal ended met or missed, has not started, or has nothing to compare with', () => {
    expect(goalProgress(goal, 10, 6, after).status).toBe('met');
    expect(goalProgress(goal, 10, 7, after).status).toBe('missed');
    expect(goalProgress(goal, 10, null, new Date('2025-12-01T00:00:00Z'))).toMatchObject({ status: 'not started', target: 6, current: null });
    expect(goalProgress(goal, 0, 3, during)).toMatchObject({ status: 'no baseline', progress: null });
    expect(goalProgress(goal, null, 3, during)).toMatchObject({ status: 'no baseline', target: null });
  });
});
