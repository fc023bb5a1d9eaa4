import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLOW_TRIGGER_FIELDS, flowPayload } from './flowTriggers.ts';
import { testDecision } from '../testing/testDecision.ts';

const EXTENSIONS = new URL('../../extensions/', import.meta.url);
const RULESETS = new URL('../../rulesets/', import.meta.url);

interface TriggerToml {
  extension: Record<string, string>;
  fields: Record<string, string>[];
}

/** Just enough TOML for our trigger files: `[[extensions]]`, `[settings]`, `[[settings.fields]]`, `key = "string"`. */
function readTriggerToml(handle: string): TriggerToml {
  const text = readFileSync(new URL(`${handle}/shopify.extension.toml`, EXTENSIONS), 'utf8');
  const result: TriggerToml = { extension: {}, fields: [] };
  let section: Record<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line === '[[extensions]]') section = result.extension;
    else if (line === '[settings]') section = undefined;
    else if (line === '[[settings.fields]]') result.fields.push((section = {}));
    else {
      const match = /^([A-Za-z_]+)\s*=\s*(".*")$/.exec(line);
      if (!match || !section) throw new Error(`unexpected line in ${handle}: ${line}`);
      section[match[1]] = JSON.parse(match[2]);
    }
  }
  return result;
}

/** The Shopify CLI sends a reference field as `<object>_id` and any other field under its key. */
function payloadKey(field: Record<string, string>): string {
  return field.type.endsWith('_reference') ? `${field.type.replace(/_reference$/, '')}_id` : field.key;
}

/** Shopify/cli services/flow/constants.ts: trigger field types (number_integer is action-only). */
const TRIGGER_FIELD_TYPES = ['boolean', 'email', 'single_line_text_field', 'url', 'number_decimal'];
const TRIGGER_REFERENCES = ['customer_reference', 'order_reference', 'product_reference', 'company_reference', 'company_contact_reference'];

// The Flow trigger extensions (other extensions, such as the admin order-details block, have other types).
const handles = readdirSync(EXTENSIONS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && /^type\s*=\s*"flow_trigger"$/m.test(readFileSync(new URL(`${entry.name}/shopify.extension.toml`, EXTENSIONS), 'utf8')))
  .map((entry) => entry.name)
  .sort();

const decision = testDecision([['velocity.returns-30d', 40], ['order.address-mismatch', 30], ['customer.trusted', -6], ['x.small', 2]]);
const ids = { orderId: 'gid://shopify/Order/4783296544821', returnId: 'gid://shopify/Return/945000954' };

describe('Flow trigger extensions', () => {
  it('exist for exactly the handles flowPayload knows', () => {
    expect(handles).toEqual(Object.keys(FLOW_TRIGGER_FIELDS).sort());
  });

  it.each(handles)('%s is a valid flow_trigger whose fields are the payload keys', (handle) => {
    const { extension, fields } = readTriggerToml(handle);
    expect(extension).toMatchObject({ type: 'flow_trigger', handle });
    expect(extension.name).toBeTruthy();
    expect(extension.description).toBeTruthy();
    expect(handle).toMatch(/^[a-z0-9-]{1,30}$/);
    for (const field of fields) {
      if (field.type.endsWith('_reference')) {
        expect(TRIGGER_REFERENCES).toContain(field.type);
        expect(field.key).toBeUndefined();
      } else {
        expect(TRIGGER_FIELD_TYPES).toContain(field.type);
        expect(field.key).toMatch(/^[a-zA-Z\s]+$/);
      }
    }
    const keys = fields.map(payloadKey);
    expect(keys).toEqual([...FLOW_TRIGGER_FIELDS[handle as keyof typeof FLOW_TRIGGER_FIELDS]]);
    expect(Object.keys(flowPayload(handle, decision, ids)).sort()).toEqual([...keys].sort());
  });

  it('covers every flow.trigger handle the shipped rulesets use', () => {
    const files = [
      ...readdirSync(RULESETS).filter((name) => name.endsWith('.json')).map((name) => new URL(name, RULESETS)),
      ...readdirSync(new URL('examples/', RULESETS)).filter((name) => name.endsWith('.json')).map((name) => new URL(`examples/${name}`, RULESETS)),
    ];
    const used = files.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/"type":\s*"flow\.trigger",\s*"handle":\s*"([^"]+)"/g)].map((m) => m[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const handle of used) expect(handles).toContain(handle);
  });
});

describe('flowPayload', () => {
  it('sends the order as its numeric id and the top risk signals', () => {
    expect(flowPayload('high-risk-return', decision, ids)).toEqual({
      order_id: 4783296544821,
      'Return ID': 'gid://shopify/Return/945000954',
      'Risk score': 66,
      'Risk zone': 'high',
      'Top signals': 'velocity.returns-30d (+40), order.address-mismatch (+30), x.small (+2)',
    });
  });

  it('leaves Return ID empty for a refund issued without a return', () => {
    expect(flowPayload('high-risk-return', decision, { orderId: ids.orderId })['Return ID']).toBe('');
  });

  it('refuses unknown handles and ids that are not GIDs', () => {
    expect(() => flowPayload('nope', decision, ids)).toThrow(/no Flow trigger extension has the handle 'nope'/);
    expect(() => flowPayload('high-risk-order', decision, { orderId: '4783296544821' })).toThrow(/not a Shopify GID/);
  });
});
