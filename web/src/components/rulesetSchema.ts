import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import rulesetSchema from '../../../rulesets/schema/ruleset.schema.json';
import type { CatalogSignal } from '../api.ts';

/** The rule editor's model: Monaco's JSON service matches schemas to documents by this URI. */
export const MODEL_URI = 'inmemory://refundsentry/ruleset.json';

/** The `"$schema"` every shipped ruleset carries (`rulesets/default.json`): a path beside the file, which a browser cannot load. */
export const STORED_SCHEMA_PATH = './schema/ruleset.schema.json';

/** Every description of the schema also as Markdown (its descriptions write `names` as code), which hover and completion render. */
function withMarkdown(node: unknown): void {
  if (Array.isArray(node)) node.forEach(withMarkdown);
  else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.description === 'string') record.markdownDescription = record.description;
    for (const [key, value] of Object.entries(record)) if (key !== 'markdownDescription') withMarkdown(value);
  }
}

/**
 * The ruleset JSON Schema with the shop's catalog folded in: each known signal id becomes a
 * property (completion, hover with its description, its params schema).
 */
export function schemaWithCatalog(signals: CatalogSignal[]) {
  const schema = structuredClone(rulesetSchema) as Record<string, any>;
  withMarkdown(schema);
  // A signal's own description (plain text, from the catalog) replaces signalConfig's.
  const { markdownDescription: _, ...config } = schema.$defs.signalConfig;
  schema.properties.signals.properties = Object.fromEntries(
    signals.map((s) => [
      s.id,
      {
        ...config,
        description: `${s.title} — ${s.description} (default weight ${s.defaultWeight}${s.plugin ? `; from plugin ${s.plugin.name}@${s.plugin.version}` : ''})`,
        properties: { ...config.properties, ...(s.params ? { params: s.params } : {}) },
      },
    ]),
  );
  return schema;
}

/**
 * The URI Monaco's JSON service reads a document's schema from when the document names one with
 * `"$schema"`: the value itself when it has a scheme, else the path resolved against the model's
 * URI (`./schema/ruleset.schema.json` → `inmemory://refundsentry/schema/ruleset.schema.json`, as
 * the worker's `resolveRelativePath` does). The service prefers it to any `fileMatch`, and asks
 * for it over the network when no registered schema has that URI. Undefined for an empty value
 * (the service then goes by `fileMatch`).
 */
export function schemaUriFor(value: string, modelUri = MODEL_URI): string | undefined {
  if (value === '') return undefined;
  if (/^\w[\w\d+.-]*:/.test(value)) return value;
  try {
    return new URL(value, modelUri).href;
  } catch {
    return undefined;
  }
}

/** The URI the text's top-level `"$schema"` string names (read tolerantly: the rest of the text may not parse). */
export function documentSchemaUri(text: string, modelUri = MODEL_URI): string | undefined {
  const root = parseTree(text);
  const node = root?.type === 'object' ? findNodeAtLocation(root, ['$schema']) : undefined;
  return node?.type === 'string' && typeof node.value === 'string' ? schemaUriFor(node.value, modelUri) : undefined;
}

/** One schema for Monaco's JSON service (`jsonDefaults.setDiagnosticsOptions({ schemas })`). */
export interface EditorSchema {
  uri: string;
  fileMatch?: string[];
  schema: Record<string, any>;
}

/**
 * The schemas the editor registers: the ruleset schema with the catalog folded in, under the URI
 * the stored `"$schema"` resolves to and matched to the model by `fileMatch` (a ruleset without
 * `"$schema"`), and again under the URI the document's own `"$schema"` resolves to when it names
 * another. Whatever the ruleset's `"$schema"` says, the service finds the app's schema without
 * fetching anything (schema requests stay off), so completion and hover always have it.
 */
export function editorSchemas(signals: CatalogSignal[], documentUri?: string): EditorSchema[] {
  const schema = schemaWithCatalog(signals);
  const stored = schemaUriFor(STORED_SCHEMA_PATH)!;
  return [{ uri: stored, fileMatch: [MODEL_URI], schema }, ...(documentUri && documentUri !== stored ? [{ uri: documentUri, schema }] : [])];
}
