import { AppProvider } from '@shopify/polaris';
import en from '@shopify/polaris/locales/en.json' with { type: 'json' };
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../../rulesets/default.json' with { type: 'json' };
import { generateShop } from '../../../scenarios/generateShop.ts';
import { builtinSignals } from '../../../signals/index.ts';
import { compileRuleset } from '../../../engine/compileRuleset.ts';
import { createRegistry } from '../../../engine/registry.ts';
import type { Ruleset } from '../../../engine/ruleset.ts';
import { simulate } from '../../../engine/simulate/simulate.ts';
import { SimulationReport, type Report } from './SimulationReport.tsx';

/** The report component rendered to HTML (no browser needed): what a merchant reads in it. */
const text = (report: Report) =>
  renderToStaticMarkup(createElement(AppProvider, { i18n: en }, createElement(SimulationReport, { report })))
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ');

const registry = createRegistry(builtinSignals);
const { events } = generateShop({ seed: 11, customers: 120, start: '2025-01-01', days: 200 });
const live = compileRuleset(defaultRuleset as Ruleset, registry);
const draft = structuredClone(defaultRuleset) as Ruleset;
draft.signals['customer.double-dip'] = { ...draft.signals['customer.double-dip'], weight: 0 };
const report = simulate(events, live, compileRuleset(draft, registry), { shopId: 's', window: { from: '2025-01-15T00:00:00.000Z', to: '2025-07-20T00:00:00.000Z' } });

describe('SimulationReport', () => {
  it('shows the AUC row, the calibration side by side and the money in HIGH of a report that has them', () => {
    expect(report.quality.before.labelled).toBeGreaterThan(0);
    const shown = text(report);
    expect(shown).toContain(`AUC (fraud scored above legit) ${report.auc!.before === null ? '—' : `${(report.auc!.before * 100).toFixed(1)}%`}`);
    expect(shown).toContain('Live: fraud rate This version: fraud rate');
    const band = report.calibration!.before.find((b) => b.rows > 0)!;
    expect(shown).toContain(`${band.from}–${band.to} `);
    for (const row of report.money!.rows) expect(shown).toContain(`${row.label === 'fraud' ? 'Fraud' : 'Legit'} ${row.kind}s (${row.subjects.toLocaleString('en')})`);
    expect(shown).not.toContain('Not in this report');
  });

  it('renders a report stored before calibration, AUC and money existed, saying to simulate again', () => {
    const { calibration: _c, auc: _a, money: _m, ...old } = report;
    const shown = text(old);
    expect(shown).not.toContain('AUC (fraud scored above legit)');
    expect(shown).toContain('AUC: Not in this report');
    expect(shown.match(/simulate again to see them/g)).toHaveLength(3);
    expect(shown).toContain('Precision');
    expect(shown).toContain(`Zone changes (${report.flips.length})`);
  });
});
