import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRegistry, validateRuleset } from '../engine/index.ts';
import { builtinSignals } from '../signals/index.ts';
import defaultRuleset from './default.json' with { type: 'json' };

const registry = createRegistry(builtinSignals);

describe('shipped rulesets', () => {
  it('the default ruleset is valid and weights every built-in signal that is not deprecated', () => {
    expect(validateRuleset(defaultRuleset, registry)).toEqual([]);
    // Deprecated signals stay registered for the rulesets and traces that name them, not in the default (the editor would warn).
    expect(Object.keys(defaultRuleset.signals).sort()).toEqual(builtinSignals.filter((s) => !s.meta.deprecated).map((s) => s.meta.id).sort());
  });

  it.each(readdirSync(new URL('./examples/', import.meta.url)).filter((f) => f.endsWith('.json')))('example %s is valid', (file) => {
    const body = JSON.parse(readFileSync(new URL(`./examples/${file}`, import.meta.url), 'utf8'));
    expect(validateRuleset(body, registry).filter((p) => p.severity === 'error')).toEqual([]);
  });
});
