/**
 * Bulk operations in the Shopify double (FACTS 4.7): `bulkOperationRunQuery` checks the bulk
 * query with the validators Shopify applies (messages from the real capture
 * bulk-operation-run-query-validators), `bulkOperation(id:)` reports CREATED → RUNNING →
 * COMPLETED as it is polled, and the result is JSONL in Shopify's shape: one object per line,
 * nested connection nodes as lines of their own with `__parentId`, children after all roots
 * (the `groupObjects: false` default does not group them under their parents).
 *
 * The shop's history is held in GraphQL shape (`DoubleHistory`): plain objects with the schema's
 * field names, connection fields as arrays (served as connections by the field resolver).
 */
import {
  GraphQLError,
  Kind,
  defaultFieldResolver,
  execute,
  getNamedType,
  isListType,
  isNonNullType,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

export type GqlObject = Record<string, unknown> & { id: string };

export interface DoubleHistory {
  /**
   * Orders with `lineItems` (array), `fulfillments` (list), `returns` (array of Returns with
   * `returnLineItems`), `refunds` (list), `transactions` (list; `paymentDetails` a union value
   * with its `__typename`, e.g. `CardPaymentDetails`), `risk` (`{ assessments }`, non-null), `updatedAt`.
   */
  orders: GqlObject[];
  /** ShopifyPaymentsDispute objects, with `order: { id }`. */
  disputes: GqlObject[];
}

export interface DoubleBulkOperation {
  id: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';
  errorCode: 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT' | null;
  query: string;
  createdAt: string;
  completedAt: string | null;
  /** Status polls answered so far. */
  polls: number;
  /** The JSONL result, once COMPLETED. */
  result: string | null;
  rootObjectCount: number;
  objectCount: number;
}

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: string;
}

const MAX_CONNECTIONS = 5;
const MAX_NESTING = 2;

function isConnectionType(type: GraphQLOutputType): boolean {
  const named = getNamedType(type);
  return !isListType(isNonNullType(type) ? type.ofType : type) && named.name.endsWith('Connection');
}

function invalid(message: string): BulkUserError {
  return { field: ['query'], message, code: 'INVALID' };
}

/**
 * The bulk-query rules, with the messages of the real capture. Schema errors are reported as
 * "Invalid bulk query: …" (the capture shows that prefix for a syntax error; the rest of such
 * messages is graphql-js's, not captured).
 */
export function validateBulkQuery(schema: GraphQLSchema, query: string): BulkUserError[] {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    const detail = (error as GraphQLError).message.replace(/^Syntax Error: /, '');
    return [invalid(`Invalid bulk query: syntax error, ${detail.toLowerCase().includes('<eof>') ? 'unexpected end of file' : detail}`)];
  }
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [invalid('Bulk queries must contain at least one connection.')];
  if (operation.operation !== 'query') return [invalid('Invalid operation type. Only `query` operations are supported.')];
  const schemaErrors = validate(schema, document);
  if (schemaErrors.length > 0) return schemaErrors.map((error) => invalid(`Invalid bulk query: ${error.message}`));

  const errors: BulkUserError[] = [];
  const nodesInstead: string[] = [];
  const withoutParentId: string[] = [];
  let connections = 0;
  let tooDeep = false;
  let withinList = false;

  const fieldsOf = (set: SelectionSetNode | undefined): FieldNode[] => (set?.selections ?? []).flatMap((s) => (s.kind === Kind.FIELD ? [s] : s.kind === Kind.INLINE_FRAGMENT ? fieldsOf(s.selectionSet) : []));
  // Walks a selection with its parent type; `nesting` counts connections above, `inList` a list field above.
  const walk = (set: SelectionSetNode | undefined, parentType: string, nesting: number, inList: boolean, owner: string | null, ownerSelectsId: boolean) => {
    const type = schema.getType(parentType) as { getFields?: () => Record<string, { type: GraphQLOutputType }> } | undefined;
    const fields = type?.getFields?.() ?? {};
    for (const field of fieldsOf(set)) {
      const definition = fields[field.name.value];
      if (!definition) continue;
      const named = getNamedType(definition.type).name;
      if (isConnectionType(definition.type)) {
        connections++;
        if (inList) withinList = true;
        if (nesting > MAX_NESTING) tooDeep = true;
        if (owner !== null && !ownerSelectsId) withoutParentId.push(owner);
        const children = fieldsOf(field.selectionSet);
        if (children.some((c) => c.name.value === 'nodes') || !children.some((c) => c.name.value === 'edges')) nodesInstead.push(field.name.value);
        const node = fieldsOf(children.find((c) => c.name.value === 'edges')?.selectionSet).find((c) => c.name.value === 'node');
        const nodeType = named.replace(/Connection$/, '');
        const selectsId = fieldsOf(node?.selectionSet).some((c) => c.name.value === 'id' && !c.alias);
        walk(node?.selectionSet, nodeType, nesting + 1, inList, field.name.value, selectsId);
      } else if (field.selectionSet) {
        const list = isListType(isNonNullType(definition.type) ? definition.type.ofType : definition.type);
        walk(field.selectionSet, named, nesting, inList || list, owner, ownerSelectsId);
      }
    }
  };
  const roots = fieldsOf(operation.selectionSet);
  if (roots.some((f) => f.name.value === 'node' || f.name.value === 'nodes')) errors.push(invalid('Bulk queries cannot contain a top level `node` field.'));
  walk(operation.selectionSet, schema.getQueryType()!.name, 0, false, null, true);
  if (nodesInstead.length > 0) {
    const first = nodesInstead[0];
    errors.push(invalid(`All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${first} { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: ${nodesInstead.map((f) => `'${f}'`).join(', ')}.`));
  }
  if (withinList) errors.push(invalid('Queries that contain a connection field within a list field are not currently supported.'));
  if (tooDeep) errors.push(invalid(`Bulk queries cannot contain connections with a nesting depth greater than ${MAX_NESTING}.`));
  if (connections > MAX_CONNECTIONS) errors.push(invalid(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`));
  if (withoutParentId.length > 0) {
    errors.push(invalid(`The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${[...new Set(withoutParentId)].join(', ')}.`));
  }
  if (connections === 0) errors.push(invalid('Bulk queries must contain at least one connection.'));
  return errors;
}

/** Shopify search syntax, the part the backfill uses: `field:>='time' AND field:<'time'` clauses. */
export function matchesSearch(search: string | undefined, fields: Record<string, string | undefined>): boolean {
  if (!search) return true;
  for (const clause of search.split(/\s+AND\s+|\s+(?=\w+:)/)) {
    const match = /^(\w+):(>=|<=|>|<)?'?([^']*)'?$/.exec(clause.trim());
    if (!match) throw new Error(`shopifyDouble does not understand the search clause ${JSON.stringify(clause)}`);
    const [, field, op = '=', raw] = match;
    if (!(field in fields)) throw new Error(`shopifyDouble does not filter on ${field}`);
    const value = fields[field];
    if (value === undefined) return false;
    const a = Date.parse(value);
    const b = Date.parse(raw);
    const ok = op === '>=' ? a >= b : op === '>' ? a > b : op === '<=' ? a <= b : op === '<' ? a < b : a === b;
    if (!ok) return false;
  }
  return true;
}

function connectionOf(items: unknown[]) {
  return { edges: items.map((node) => ({ node })), nodes: items, pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null } };
}

/** Connection fields stored as arrays are served as connections (all of them: a bulk query has no page size). */
export const historyFieldResolver: GraphQLFieldResolver<unknown, unknown> = (source, args, context, info) => {
  const value = defaultFieldResolver(source, args, context, info);
  if (Array.isArray(value) && isConnectionType(info.returnType)) {
    const first = (args as { first?: number }).first;
    return connectionOf(first === undefined ? value : value.slice(0, first));
  }
  return value;
};

/** The bulk query's roots: orders and disputes of the history, filtered by their search string. */
function bulkRoot(history: DoubleHistory) {
  return {
    orders: ({ query }: { query?: string }) =>
      [...history.orders]
        .filter((o) => matchesSearch(query, { created_at: o.createdAt as string, updated_at: o.updatedAt as string }))
        .sort((a, b) => Date.parse(a.createdAt as string) - Date.parse(b.createdAt as string)),
    disputes: ({ query }: { query?: string }) => history.disputes.filter((d) => matchesSearch(query, { initiated_at: d.initiatedAt as string })),
  };
}

/** Runs a validated bulk query over the history and writes its JSONL (slashes escaped as Shopify does). */
export async function runBulkQuery(schema: GraphQLSchema, query: string, history: DoubleHistory): Promise<{ jsonl: string; roots: number; objects: number }> {
  const result = await execute({ schema, document: parse(query), rootValue: bulkRoot(history), fieldResolver: historyFieldResolver });
  if (result.errors?.length) throw new Error(`shopifyDouble could not run the bulk query: ${result.errors[0].message}`);
  const roots: string[] = [];
  const children: string[] = [];
  const line = (value: unknown) => JSON.stringify(value).replace(/\//g, '\\/');
  // A node's nested connections become lines of their own, pointing at the node.
  const emit = (node: Record<string, unknown>, parentId: string | null) => {
    const own: Record<string, unknown> = {};
    const nested: Record<string, unknown>[] = [];
    for (const [key, value] of Object.entries(node)) {
      const edges = value && typeof value === 'object' && !Array.isArray(value) ? (value as { edges?: { node: Record<string, unknown> }[] }).edges : undefined;
      if (edges) nested.push(...edges.map((e) => e.node));
      else own[key] = value;
    }
    (parentId === null ? roots : children).push(line(parentId === null ? own : { ...own, __parentId: parentId }));
    for (const child of nested) emit(child, node.id as string);
  };
  for (const value of Object.values(result.data ?? {})) {
    for (const edge of (value as { edges: { node: Record<string, unknown> }[] }).edges) emit(edge.node, null);
  }
  return { jsonl: [...roots, ...children].map((l) => `${l}\n`).join(''), roots: roots.length, objects: roots.length + children.length };
}

/** What the bulk resolvers need of the double's state. */
export interface BulkState {
  history: DoubleHistory;
  bulkOperations: Map<string, DoubleBulkOperation>;
  bulkPollsUntilDone: number;
  failNextBulk: NonNullable<DoubleBulkOperation['errorCode']>[];
  nextBulkId(): string;
  historyNode(id: string): GqlObject | undefined;
}

const CONCURRENT_BULK_QUERIES = 5;

function bulkView(op: DoubleBulkOperation, resultUrl: (id: string) => string) {
  return {
    __typename: 'BulkOperation',
    id: op.id,
    status: op.status,
    type: 'QUERY',
    errorCode: op.errorCode,
    createdAt: op.createdAt,
    completedAt: op.completedAt,
    objectCount: String(op.status === 'COMPLETED' ? op.objectCount : 0),
    rootObjectCount: String(op.status === 'COMPLETED' ? op.rootObjectCount : 0),
    fileSize: op.status === 'COMPLETED' && op.result ? String(Buffer.byteLength(op.result)) : null,
    // A completed operation with no objects has no file (url null).
    url: op.status === 'COMPLETED' && op.objectCount > 0 ? resultUrl(op.id) : null,
    partialDataUrl: null,
    query: op.query,
  };
}

/** `bulkOperationRunQuery`, `bulkOperation(id:)` and `nodes(ids:)` over the double's history. */
export function bulkResolvers(state: BulkState, schema: () => GraphQLSchema, resultUrl: (id: string) => string) {
  return {
    bulkOperationRunQuery: async ({ query }: { query: string }) => {
      const userErrors = validateBulkQuery(schema(), query);
      if (userErrors.length > 0) return { bulkOperation: null, userErrors };
      const running = [...state.bulkOperations.values()].filter((op) => op.status === 'CREATED' || op.status === 'RUNNING');
      if (running.length >= CONCURRENT_BULK_QUERIES) {
        return {
          bulkOperation: null,
          userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${running.map((op) => op.id).join(', ')}.`, code: 'OPERATION_IN_PROGRESS' }],
        };
      }
      const { jsonl, roots, objects } = await runBulkQuery(schema(), query, state.history);
      const op: DoubleBulkOperation = {
        id: state.nextBulkId(),
        status: 'CREATED',
        errorCode: state.failNextBulk.shift() ?? null,
        query,
        createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        completedAt: null,
        polls: 0,
        result: jsonl,
        rootObjectCount: roots,
        objectCount: objects,
      };
      state.bulkOperations.set(op.id, op);
      return { bulkOperation: bulkView(op, resultUrl), userErrors: [] };
    },
    bulkOperation: ({ id }: { id: string }) => {
      const op = state.bulkOperations.get(id);
      if (!op) return null;
      if (op.status === 'CREATED' || op.status === 'RUNNING') {
        op.polls++;
        if (op.polls <= state.bulkPollsUntilDone) op.status = 'RUNNING';
        else {
          op.status = op.errorCode ? 'FAILED' : 'COMPLETED';
          op.completedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
        }
      }
      return bulkView(op, resultUrl);
    },
    nodes: ({ ids }: { ids: string[] }) => ids.map((id) => state.historyNode(id) ?? null),
  };
}
