import { describe, expect, it } from 'vitest';
import defaultRuleset from '../../../rulesets/default.json' with { type: 'json' };
import type { CatalogSignal } from '../api.ts';
import { documentSchemaUri, editorSchemas, MODEL_URI, schemaUriFor, schemaWithCatalog, STORED_SCHEMA_PATH } from './rulesetSchema.ts';

/**
 * Which schemas the rule editor registers with Monaco's JSON service (no browser): the service
 * reads a document's schema from the URI its "$schema" names, before any fileMatch, and would
 * fetch it; the app's schema must be registered under that very URI.
 */
const signal = { id: 'customer.card-churn', title: 'Card churn', description: 'Many cards on one customer.', defaultWeight: 15 } as CatalogSignal;

describe('the rule editor\'s schemas', () => {
  it('resolves "$schema" against the model as the JSON worker does', () => {
    expect(defaultRuleset.$schema).toBe(STORED_SCHEMA_PATH);
    expect(schemaUriFor(STORED_SCHEMA_PATH)).toBe('inmemory://refundsentry/schema/ruleset.schema.json');
    expect(schemaUriFor('schema/other.json')).toBe('inmemory://refundsentry/schema/other.json');
    expect(schemaUriFor('../up.json')).toBe('inmemory://refundsentry/up.json');
    expect(schemaUriFor('/abs/x.json')).toBe('inmemory://refundsentry/abs/x.json');
    expect(schemaUriFor('https://refundsentry.dev/schema/ruleset/1.json')).toBe('https://refundsentry.dev/schema/ruleset/1.json');
    expect(schemaUriFor('')).toBeUndefined();
  });

  it('reads the document\'s "$schema" even while the rest does not parse', () => {
    const stored = JSON.stringify(defaultRuleset, null, 2);
    expect(documentSchemaUri(stored)).toBe('inmemory://refundsentry/schema/ruleset.schema.json');
    expect(documentSchemaUri(stored.replace('"medium": 31,', '"medium": 31'))).toBe('inmemory://refundsentry/schema/ruleset.schema.json');
    expect(documentSchemaUri('{"zones": {}}')).toBeUndefined();
    expect(documentSchemaUri('{"$schema": 3}')).toBeUndefined();
  });

  it('registers the app\'s schema for the model and under the stored "$schema", and under another "$schema" typed in', () => {
    const [main, ...others] = editorSchemas([signal], documentSchemaUri(JSON.stringify(defaultRuleset)));
    expect(main).toMatchObject({ uri: 'inmemory://refundsentry/schema/ruleset.schema.json', fileMatch: [MODEL_URI] });
    expect(others).toEqual([]);
    expect(main!.schema.properties.zones.properties.byKind.markdownDescription).toMatch(/^Per subject kind, where its zones start/);
    const typed = editorSchemas([signal], 'https://example.com/mine.json');
    expect(typed.map((s) => s.uri)).toEqual(['inmemory://refundsentry/schema/ruleset.schema.json', 'https://example.com/mine.json']);
    expect(typed[1]!.schema).toBe(typed[0]!.schema);
  });

  it('folds the catalog in: a signal id is a property with its own description, not signalConfig\'s', () => {
    const schema = schemaWithCatalog([signal]);
    const property = schema.properties.signals.properties['customer.card-churn'];
    expect(property.description).toBe('Card churn — Many cards on one customer. (default weight 15)');
    expect(property.markdownDescription).toBeUndefined();
    expect(Object.keys(property.properties)).toContain('weight');
  });
});
