import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../rulesets/default.json' with { type: 'json' };
import { compileRuleset, createRegistry, RulesetValidationError, type Ruleset } from '../../engine/index.ts';
import { orderContext } from '../../sdk/testing/index.ts';
import { builtinSignals } from '../../signals/index.ts';
import { compilePublished } from './compilePublished.ts';

const registry = createRegistry(builtinSignals);
const naming = (extra: Ruleset['signals']): Ruleset => {
  const ruleset = structuredClone(defaultRuleset) as Ruleset;
  Object.assign(ruleset.signals, extra);
  return ruleset;
};

describe('compilePublished', () => {
  it('keeps scoring a published version whose plugin signal is gone, the missing signal an error in the trace', () => {
    const ruleset = naming({ 'acme.high-risk-postcode': { weight: 30, params: { areas: [{ country: 'GB', prefix: 'E1' }] } } });
    expect(() => compileRuleset(ruleset, registry)).toThrow(RulesetValidationError);
    const compiled = compilePublished(ruleset, registry, (id) => `its plugin is not loaded (${id})`);
    const decision = compiled.decide(orderContext());
    expect(decision.signals.find((s) => s.id === 'acme.high-risk-postcode')).toMatchObject({
      status: 'error',
      points: 0,
      message: 'signal acme.high-risk-postcode is not available: its plugin is not loaded (acme.high-risk-postcode)',
    });
    // Everything else decides as the same ruleset without it would.
    const without = compileRuleset(defaultRuleset as Ruleset, registry).decide(orderContext());
    expect(decision.score).toBe(without.score);
  });

  it('still refuses a version with any other problem', () => {
    const ruleset = naming({ 'acme.high-risk-postcode': { weight: 30 } });
    ruleset.zones = { medium: 70, high: 40 };
    expect(() => compilePublished(ruleset, registry)).toThrow(/zones/);
  });
});
