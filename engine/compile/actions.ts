import type { ChosenAction } from '../decision.ts';
import type { ActionSpec, Zone } from '../ruleset.ts';

/**
 * Compile stage: an action rule's action as a decision in `zone` calls for it, defaults resolved
 * for the zone (the plan keeps each rule's actions resolved for every zone).
 */

const RISK_LEVEL: Record<Zone, 'HIGH' | 'MEDIUM' | 'LOW'> = { high: 'HIGH', medium: 'MEDIUM', low: 'LOW' };

export function resolveAction(spec: ActionSpec, ruleId: string, zone: Zone): ChosenAction {
  switch (spec.type) {
    case 'fulfillment.hold':
      return { ruleId, ...spec, reason: spec.reason ?? 'HIGH_RISK_OF_FRAUD' };
    case 'customer.tag':
      return { ruleId, ...spec, tag: (spec.tag ?? 'refundsentry:{{zone}}-risk').replaceAll('{{zone}}', zone) };
    case 'risk.assessment': {
      const level = spec.riskLevel ?? 'auto';
      return { ruleId, ...spec, riskLevel: level === 'auto' ? RISK_LEVEL[zone] : level };
    }
    case 'review.queue':
      return { ruleId, ...spec, queue: spec.queue ?? 'default', priority: spec.priority ?? 'normal' };
    default:
      return { ruleId, ...spec };
  }
}
