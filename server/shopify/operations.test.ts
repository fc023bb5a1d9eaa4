import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Kind, buildSchema, parse, validate } from 'graphql';
import type { GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import * as operations from './operations.ts';
import { OPERATIONS_DIR } from './operations.ts';

const SCHEMA_URL = new URL('../../../shared/shopify/schema/admin_2026-07.graphql', import.meta.url);
const hasSchema = existsSync(SCHEMA_URL);
const files = readdirSync(OPERATIONS_DIR).filter((name) => name.endsWith('.graphql')).sort();

function operationOf(source: string): OperationDefinitionNode {
  const definitions = parse(source).definitions;
  expect(definitions).toHaveLength(1);
  const [definition] = definitions;
  if (definition.kind !== Kind.OPERATION_DEFINITION) throw new Error('not an operation');
  return definition;
}

describe('operation files', () => {
  it('hold one named operation each, named after the file', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const operation = operationOf(readFileSync(new URL(file, OPERATIONS_DIR), 'utf8'));
      expect(operation.name?.value, file).toBe(file.replace(/\.graphql$/, ''));
    }
  });

  it('are all exported by operations.ts, and nothing else is', () => {
    const exported = Object.entries(operations)
      .filter(([, value]) => typeof value === 'string')
      .map(([, value]) => value as string)
      .sort();
    const sources = files.map((file) => readFileSync(new URL(file, OPERATIONS_DIR), 'utf8')).sort();
    expect(exported).toEqual(sources);
  });

  it('release holds only by id: holdIds is passed and required', () => {
    const operation = operationOf(operations.FULFILLMENT_ORDER_RELEASE_HOLD);
    const field = operation.selectionSet.selections[0];
    if (field.kind !== Kind.FIELD) throw new Error('expected a field');
    expect(field.arguments?.map((argument) => argument.name.value)).toContain('holdIds');
    const holdIds = operation.variableDefinitions?.find((definition) => definition.variable.name.value === 'holdIds');
    expect(holdIds?.type.kind).toBe(Kind.NON_NULL_TYPE);
  });
});

describe.skipIf(!hasSchema)(
  hasSchema
    ? 'operations validate against the Admin 2026-07 schema'
    : 'operations validate against the Admin 2026-07 schema (SKIPPED: ../shared/shopify/schema/admin_2026-07.graphql not found)',
  () => {
    let schema: GraphQLSchema;
    beforeAll(() => {
      schema = buildSchema(readFileSync(SCHEMA_URL, 'utf8'));
    });

    it.each(files)('%s is valid', (file) => {
      const errors = validate(schema, parse(readFileSync(new URL(file, OPERATIONS_DIR), 'utf8')));
      expect(errors.map((error) => error.message)).toEqual([]);
    });

    it('rejects a wrong operation, e.g. fulfillmentOrderReleaseHold(id:, holdId:)', () => {
      const wrong = parse(`mutation Wrong($id: ID!, $holdId: ID!) {
        fulfillmentOrderReleaseHold(id: $id, holdId: $holdId) { userErrors { message } }
      }`);
      const messages = validate(schema, wrong).map((error) => error.message);
      expect(messages).toEqual(['Unknown argument "holdId" on field "Mutation.fulfillmentOrderReleaseHold". Did you mean "holdIds"?']);
      const tagsOnNode = parse('mutation T($id: ID!) { tagsAdd(id: $id, tags: ["x"]) { node { tags } } }');
      const [tagsError] = validate(schema, tagsOnNode).map((error) => error.message);
      expect(tagsError).toMatch(/^Cannot query field "tags" on type "Node"\./);
    });
  },
);
