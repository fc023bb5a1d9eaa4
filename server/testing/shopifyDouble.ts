/**
 * A local test double of the Shopify Admin GraphQL API for the operations RefundSentry sends.
 *
 * Every document is parsed and validated against the real 2026-07 schema with graphql-js and
 * executed with graphql-js, so responses contain exactly the selected fields. Invalid documents
 * get HTTP 200 with `errors` shaped like the recorded graphql-base-validation-unhappy-paths
 * capture. Supported operations answer with the shapes and userError messages/codes of the real
 * captures in ../shared/shopify/admin-api-captures; where no capture exists, the message comes from
 * the schema's description of the error code and is marked "not captured" below.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  buildSchema,
  execute,
  getNamedType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  parse,
  validate,
  visit,
  visitWithTypeInfo,
} from 'graphql';
import type { ASTNode, DocumentNode, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { LosslessNumber, isSafeNumber, parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import { bulkResolvers, historyFieldResolver, type DoubleBulkOperation, type DoubleHistory, type GqlObject } from './bulkOperationsDouble.ts';

// ---------------------------------------------------------------------------------------------
// Schema

export const ADMIN_SCHEMA_URL = new URL('../../../shared/shopify/schema/admin_2026-07.graphql', import.meta.url);

export function adminSchemaAvailable(): boolean {
  return existsSync(ADMIN_SCHEMA_URL);
}

let cachedSchema: GraphQLSchema | undefined;

/** The Admin GraphQL 2026-07 schema (built once per process). */
export function adminSchema(): GraphQLSchema {
  if (!cachedSchema) {
    if (!adminSchemaAvailable()) {
      throw new Error(`the Admin GraphQL schema is missing: expected ${ADMIN_SCHEMA_URL.pathname}`);
    }
    cachedSchema = buildSchema(readFileSync(ADMIN_SCHEMA_URL, 'utf8'), { assumeValidSDL: true });
  }
  return cachedSchema;
}

// ---------------------------------------------------------------------------------------------
// State

export type FulfillmentOrderStatus = 'OPEN' | 'IN_PROGRESS' | 'CANCELLED' | 'INCOMPLETE' | 'CLOSED' | 'SCHEDULED' | 'ON_HOLD';

export interface DoubleHold {
  id: string;
  handle: string;
  reason: string;
  reasonNotes: string | null;
  /** False for holds placed by another app (or the merchant). */
  heldByRequestingApp: boolean;
}

export interface DoubleFulfillmentOrder {
  id: string;
  status: FulfillmentOrderStatus;
  holds: DoubleHold[];
  /** The status to return to when the last hold is released. */
  statusBeforeHold?: FulfillmentOrderStatus;
}

export interface DoubleRiskAssessment {
  riskLevel: string;
  facts: { sentiment: string; description: string }[];
}

export interface DoubleOrder {
  id: string;
  /** A fulfilled order refuses new risk assessments (ORDER_ALREADY_FULFILLED). */
  fulfilled: boolean;
  fulfillmentOrders: DoubleFulfillmentOrder[];
  riskAssessments: DoubleRiskAssessment[];
}

export interface DoubleCustomer {
  id: string;
  tags: string[];
}

export interface OrderSeed {
  id: string;
  fulfilled?: boolean;
  fulfillmentOrders?: {
    id: string;
    status?: FulfillmentOrderStatus;
    holds?: (Partial<DoubleHold> & { handle: string })[];
  }[];
}

/** What the double knows; tests seed it and read it back. */
export class ShopifyDoubleState {
  readonly orders = new Map<string, DoubleOrder>();
  readonly customers = new Map<string, DoubleCustomer>();
  /** Handles of the Flow trigger extensions the "app" has deployed. */
  readonly flowTriggerHandles = new Set<string>();
  /** Every accepted flowTriggerReceive, in order. */
  readonly flowTriggers: { handle: string; payload: unknown }[] = [];
  /** Every token exchange answered, in order. */
  readonly tokenExchanges: { clientId: string; subjectToken: string }[] = [];
  /** The shop's past in GraphQL shape, for bulk operations and `nodes` (see bulkOperationsDouble.ts). */
  history: DoubleHistory = { orders: [], disputes: [] };
  /** The shop's products in GraphQL shape (`id`, `productType`, `variants: [{ id, compareAtPrice }]`), for `nodes(ids:)`. */
  readonly products = new Map<string, GqlObject>();
  /** Every bulk operation started, by id. */
  readonly bulkOperations = new Map<string, DoubleBulkOperation>();
  /** Status polls a bulk operation answers as CREATED/RUNNING before it completes. */
  bulkPollsUntilDone = 1;
  /** The next bulk operations end FAILED with these error codes, one each (then they succeed). */
  readonly failNextBulk: NonNullable<DoubleBulkOperation['errorCode']>[] = [];
  #nextHoldId = 262926795058;
  #nextBulkId = 7933223797042;

  /** Records and returns a new bulk operation id (the captured id's neighbourhood). */
  nextBulkId(): string {
    return `gid://shopify/BulkOperation/${this.#nextBulkId++}`;
  }

  /** Products, and returns and refunds of the history, by id, for `nodes(ids:)`. */
  historyNode(id: string): GqlObject | undefined {
    const product = this.products.get(id);
    if (product) return { __typename: 'Product', ...product };
    for (const order of this.history.orders) {
      for (const r of (order.returns as GqlObject[] | undefined) ?? []) if (r.id === id) return { __typename: 'Return', ...r };
      for (const r of (order.refunds as GqlObject[] | undefined) ?? []) if (r.id === id) return { __typename: 'Refund', ...r };
    }
    return undefined;
  }

  addOrder(seed: OrderSeed): DoubleOrder {
    const order: DoubleOrder = {
      id: seed.id,
      fulfilled: seed.fulfilled ?? false,
      riskAssessments: [],
      fulfillmentOrders: (seed.fulfillmentOrders ?? []).map((fo) => {
        const holds = (fo.holds ?? []).map((hold) => ({
          id: hold.id ?? this.nextHoldId(),
          handle: hold.handle,
          reason: hold.reason ?? 'OTHER',
          reasonNotes: hold.reasonNotes ?? null,
          heldByRequestingApp: hold.heldByRequestingApp ?? true,
        }));
        const status = fo.status ?? (holds.length > 0 ? 'ON_HOLD' : 'OPEN');
        return { id: fo.id, status, holds };
      }),
    };
    this.orders.set(order.id, order);
    return order;
  }

  addCustomer(seed: { id: string; tags?: string[] }): DoubleCustomer {
    const customer = { id: seed.id, tags: [...(seed.tags ?? [])] };
    this.customers.set(customer.id, customer);
    return customer;
  }

  fulfillmentOrder(id: string): DoubleFulfillmentOrder | undefined {
    for (const order of this.orders.values()) {
      const found = order.fulfillmentOrders.find((fo) => fo.id === id);
      if (found) return found;
    }
    return undefined;
  }

  nextHoldId(): string {
    return `gid://shopify/FulfillmentHold/${this.#nextHoldId++}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Resolvers: Shopify's behaviour for the supported root fields

interface UserError {
  field: string[] | null;
  message: string;
  code?: string | null;
}

const SUPPORTED_ROOTS: Record<'query' | 'mutation', ReadonlySet<string>> = {
  query: new Set(['order', 'fulfillmentOrder', 'customer', 'bulkOperation', 'nodes']),
  mutation: new Set([
    'bulkOperationRunQuery',
    'fulfillmentOrderHold',
    'fulfillmentOrderReleaseHold',
    'tagsAdd',
    'tagsRemove',
    'orderRiskAssessmentCreate',
    'flowTriggerReceive',
  ]),
};

const HOLD_LIMIT_PER_APP = 10;
const MAX_TAGS = 250;
const FLOW_PROPERTIES_LIMIT = 50_000;
const HOLDABLE = new Set<FulfillmentOrderStatus>(['OPEN', 'SCHEDULED', 'ON_HOLD']);
/** displayReason values seen in the captures; the others are a best guess. */
const DISPLAY_REASONS: Record<string, string> = {
  OTHER: 'Other',
  AWAITING_RETURN_ITEMS: 'Exchange items awaiting return delivery',
};

function holdView(hold: DoubleHold) {
  return {
    __typename: 'FulfillmentHold',
    id: hold.id,
    handle: hold.handle,
    reason: hold.reason,
    reasonNotes: hold.reasonNotes,
    displayReason: DISPLAY_REASONS[hold.reason] ?? titleCase(hold.reason),
    heldByRequestingApp: hold.heldByRequestingApp,
    heldByApp: () => {
      // Capture fulfillment-order-hold-validation: without read_apps this field is an ACCESS_DENIED error.
      throw new GraphQLError('Access denied for heldByApp field. Required access: `read_apps` access scope.', {
        extensions: {
          code: 'ACCESS_DENIED',
          documentation: 'https://shopify.dev/api/usage/access-scopes',
          requiredAccess: '`read_apps` access scope.',
        },
      });
    },
  };
}

function fulfillmentOrderView(fo: DoubleFulfillmentOrder) {
  return { __typename: 'FulfillmentOrder', id: fo.id, status: fo.status, fulfillmentHolds: fo.holds.map(holdView) };
}

function connection<T>(items: T[], args: { first?: number | null; after?: string | null }) {
  const start = args.after ? Number(Buffer.from(args.after, 'base64').toString('utf8')) + 1 : 0;
  const end = Math.min(items.length, start + (args.first ?? items.length));
  const cursor = (index: number) => Buffer.from(String(index)).toString('base64');
  const edges = items.slice(start, end).map((node, offset) => ({ node, cursor: cursor(start + offset) }));
  return {
    nodes: edges.map((edge) => edge.node),
    edges,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: edges.length ? cursor(start) : null,
      endCursor: edges.length ? cursor(end - 1) : null,
    },
  };
}

function customerView(customer: DoubleCustomer) {
  return { __typename: 'Customer', id: customer.id, tags: customer.tags };
}

/** Tags may be passed as one comma-separated string (schema; capture customer-tag-note-limits-parity "a, b , c"). */
function splitTags(tags: string[]): string[] {
  return tags.flatMap((tag) => tag.split(',')).map((tag) => tag.trim()).filter((tag) => tag !== '');
}

/** Case-insensitive dedupe keeping the first spelling ("VIP" + "vip" → "VIP"), sorted as in capture tags-add-parity. */
function normalizeTags(tags: string[]): string[] {
  const byKey = new Map<string, string>();
  for (const tag of tags) if (!byKey.has(tag.toLowerCase())) byKey.set(tag.toLowerCase(), tag);
  return [...byKey.values()].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
}

function resourceName(gid: string): string {
  return /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(gid)?.[1] ?? 'Resource';
}

function flowError(problems: string[]): { userErrors: UserError[] } {
  // Capture flow-trigger-receive-*: every Flow validation problem is one userError on `body`.
  return { userErrors: [{ field: ['body'], message: `Errors validating schema:\n${problems.map((p) => `  ${p}\n`).join('')}` }] };
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(stringifyLossless(value) ?? '', 'utf8');
}

interface HoldInput {
  reason: string;
  reasonNotes?: string | null;
  handle?: string | null;
  fulfillmentOrderLineItems?: { id: string; quantity: number }[] | null;
}

interface RiskAssessmentInput {
  orderId: string;
  riskLevel: string;
  facts: { sentiment: string; description: string }[];
}

function rootResolvers(state: ShopifyDoubleState, resultUrl: (id: string) => string): Record<string, (args: never) => unknown> {
  return {
    ...bulkResolvers(state, adminSchema, resultUrl),
    order: ({ id }: { id: string }) => {
      const order = state.orders.get(id);
      if (!order) return null;
      return {
        __typename: 'Order',
        id: order.id,
        fulfillmentOrders: (args: { first?: number; after?: string }) =>
          connection(order.fulfillmentOrders.map(fulfillmentOrderView), args),
      };
    },

    fulfillmentOrder: ({ id }: { id: string }) => {
      const fo = state.fulfillmentOrder(id);
      return fo ? fulfillmentOrderView(fo) : null;
    },

    customer: ({ id }: { id: string }) => {
      const customer = state.customers.get(id);
      return customer ? customerView(customer) : null;
    },

    fulfillmentOrderHold: ({ id, fulfillmentHold: input }: { id: string; fulfillmentHold: HoldInput }) => {
      const fail = (field: string[], message: string, code: string | null) => ({
        fulfillmentHold: null,
        fulfillmentOrder: null,
        remainingFulfillmentOrder: null,
        userErrors: [{ field, message, code }],
      });
      const fo = state.fulfillmentOrder(id);
      // Not captured: wording of the schema's FULFILLMENT_ORDER_NOT_FOUND description.
      if (!fo) return fail(['id'], 'The fulfillment order could not be found.', 'FULFILLMENT_ORDER_NOT_FOUND');
      const lines = input.fulfillmentOrderLineItems ?? [];
      const zero = lines.findIndex((line) => line.quantity <= 0);
      if (zero >= 0) {
        return fail(['fulfillmentHold', 'fulfillmentOrderLineItems', String(zero), 'quantity'], 'You must select at least one item to place on partial hold.', 'GREATER_THAN_ZERO');
      }
      if (new Set(lines.map((line) => line.id)).size < lines.length) {
        return fail(['fulfillmentHold', 'fulfillmentOrderLineItems'], 'must contain unique line item ids', 'DUPLICATED_FULFILLMENT_ORDER_LINE_ITEMS');
      }
      const handle = input.handle ?? '';
      const ours = fo.holds.filter((hold) => hold.heldByRequestingApp);
      if (ours.some((hold) => hold.handle === handle)) {
        return fail(['fulfillmentHold', 'handle'], 'The handle provided for the fulfillment hold is already in use by this app for another hold on this fulfillment order.', 'DUPLICATE_FULFILLMENT_HOLD_HANDLE');
      }
      if (ours.length >= HOLD_LIMIT_PER_APP) {
        return fail(['id'], 'The maximum number of fulfillment holds for this fulfillment order has been reached for this app. An app can only have up to 10 holds on a single fulfillment order at any one time.', 'FULFILLMENT_ORDER_HOLD_LIMIT_REACHED');
      }
      if (lines.length > 0 && fo.status === 'ON_HOLD') {
        return fail(['fulfillmentHold', 'fulfillmentOrderLineItems'], 'The fulfillment order is not in a splittable state.', 'FULFILLMENT_ORDER_NOT_SPLITTABLE');
      }
      if (lines.length > 0) throw new GraphQLError('shopifyDouble: partial holds (fulfillmentOrderLineItems) are not modelled');
      // Not captured: Shopify's answer for a closed or cancelled fulfillment order.
      if (!HOLDABLE.has(fo.status)) return fail(['id'], `The fulfillment order cannot be held while ${fo.status}.`, null);

      const hold: DoubleHold = {
        id: state.nextHoldId(),
        handle,
        reason: input.reason,
        reasonNotes: input.reasonNotes ?? null,
        heldByRequestingApp: true,
      };
      if (fo.status !== 'ON_HOLD') fo.statusBeforeHold = fo.status;
      fo.holds.push(hold);
      fo.status = 'ON_HOLD';
      return { fulfillmentHold: holdView(hold), fulfillmentOrder: fulfillmentOrderView(fo), remainingFulfillmentOrder: null, userErrors: [] };
    },

    fulfillmentOrderReleaseHold: ({ id, holdIds }: { id: string; holdIds?: string[] | null }) => {
      const fo = state.fulfillmentOrder(id);
      if (!fo) {
        // Not captured: wording of the schema's FULFILLMENT_ORDER_NOT_FOUND description.
        return { fulfillmentOrder: null, userErrors: [{ field: ['id'], message: "The fulfillment order wasn't found.", code: 'FULFILLMENT_ORDER_NOT_FOUND' }] };
      }
      // Without holdIds Shopify releases every hold, other apps' included (schema, FACTS 4.1).
      // With them, only holds that belong to this fulfillment order are released (schema).
      const targets = holdIds == null ? [...fo.holds] : fo.holds.filter((hold) => holdIds.includes(hold.id));
      if (holdIds != null && targets.some((hold) => !hold.heldByRequestingApp)) {
        // Not captured: wording of the schema's INVALID_ACCESS description.
        return { fulfillmentOrder: null, userErrors: [{ field: ['holdIds'], message: "The app doesn't have access to release the fulfillment hold.", code: 'INVALID_ACCESS' }] };
      }
      fo.holds = fo.holds.filter((hold) => !targets.includes(hold));
      if (fo.holds.length === 0 && fo.status === 'ON_HOLD') fo.status = fo.statusBeforeHold ?? 'OPEN';
      return { fulfillmentOrder: fulfillmentOrderView(fo), userErrors: [] };
    },

    tagsAdd: ({ id, tags }: { id: string; tags: string[] }) => {
      const customer = state.customers.get(id);
      // Capture admin-platform-tags-not-found.
      if (!customer) return { node: null, userErrors: [{ field: ['id'], message: `${resourceName(id)} does not exist` }] };
      const merged = normalizeTags([...customer.tags, ...splitTags(tags)]);
      if (merged.length > MAX_TAGS) {
        // Not captured for tagsAdd (FACTS 4.2): this is customerCreate's captured message.
        return { node: null, userErrors: [{ field: ['tags'], message: 'Tags cannot be more than 250' }] };
      }
      customer.tags = merged;
      return { node: customerView(customer), userErrors: [] };
    },

    tagsRemove: ({ id, tags }: { id: string; tags: string[] }) => {
      const customer = state.customers.get(id);
      if (!customer) return { node: null, userErrors: [{ field: ['id'], message: `${resourceName(id)} does not exist` }] };
      const gone = new Set(splitTags(tags).map((tag) => tag.toLowerCase()));
      customer.tags = customer.tags.filter((tag) => !gone.has(tag.toLowerCase()));
      return { node: customerView(customer), userErrors: [] };
    },

    orderRiskAssessmentCreate: ({ orderRiskAssessmentInput: input }: { orderRiskAssessmentInput: RiskAssessmentInput }) => {
      const fail = (field: string[], message: string, code: string) => ({ orderRiskAssessment: null, userErrors: [{ field, message, code }] });
      const order = state.orders.get(input.orderId);
      const facts = input.facts;
      // Not captured: these three messages are the schema's descriptions of the error codes.
      if (!order) return fail(['orderRiskAssessmentInput', 'orderId'], "The record with the ID used as the input value couldn't be found.", 'NOT_FOUND');
      if (facts.length > 20) return fail(['orderRiskAssessmentInput', 'facts'], 'Too many facts were provided for the risk assessment.', 'TOO_MANY_FACTS');
      if (order.fulfilled) {
        return fail(['orderRiskAssessmentInput', 'orderId'], 'The order is marked as fulfilled and can no longer accept new risk assessments.', 'ORDER_ALREADY_FULFILLED');
      }
      // "Large values are truncated to 256 characters" (schema).
      const assessment = {
        riskLevel: input.riskLevel,
        facts: facts.map((fact) => ({ sentiment: fact.sentiment, description: Array.from(fact.description).slice(0, 256).join('') })),
      };
      order.riskAssessments.push(assessment);
      return { orderRiskAssessment: { ...assessment, provider: null }, userErrors: [] };
    },

    flowTriggerReceive: ({ body, handle, payload }: { body?: string | null; handle?: string | null; payload?: unknown }) => {
      if (body != null) {
        let parsed: Record<string, unknown>;
        try {
          parsed = JSON.parse(body);
        } catch {
          return flowError(['Invalid JSON.']); // not captured
        }
        if (typeof parsed.trigger_id !== 'string') return flowError(["Required field missing: 'trigger_id'."]);
        if (jsonBytes(parsed.properties ?? {}) > FLOW_PROPERTIES_LIMIT) return flowError([`Properties size exceeds the limit of ${FLOW_PROPERTIES_LIMIT} bytes.`]);
        return flowError([`Invalid trigger_id '${parsed.trigger_id}'.`]);
      }
      // Capture property-size-boundary: 50,000 bytes pass, 50,001 fail, and size is checked before the trigger id.
      if (jsonBytes(payload ?? {}) > FLOW_PROPERTIES_LIMIT) return flowError([`Properties size exceeds the limit of ${FLOW_PROPERTIES_LIMIT} bytes.`]);
      if (!handle || !state.flowTriggerHandles.has(handle)) return flowError([`Invalid handle '${handle ?? ''}'.`]);
      state.flowTriggers.push({ handle, payload });
      return { userErrors: [] };
    },
  };
}

function titleCase(value: string): string {
  const words = value.toLowerCase().split('_').join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// ---------------------------------------------------------------------------------------------
// Shopify-shaped GraphQL errors

/** Field paths as Shopify reports them: `["query Name", "products", "nodes", "field"]`. */
function fieldPaths(document: DocumentNode): Map<ASTNode, string[]> {
  const paths = new Map<ASTNode, string[]>();
  const walk = (set: SelectionSetNode | undefined, prefix: string[]) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const path = [...prefix, selection.name.value];
        paths.set(selection, path);
        walk(selection.selectionSet, path);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, prefix);
      }
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) {
      walk(definition.selectionSet, [definition.name ? `${definition.operation} ${definition.name.value}` : definition.operation]);
    } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      walk(definition.selectionSet, [`fragment ${definition.name.value}`]);
    }
  }
  return paths;
}

function locations(error: GraphQLError): { line: number; column: number }[] | undefined {
  return error.locations?.map(({ line, column }) => ({ line, column }));
}

/**
 * graphql-js validation errors in Shopify's (graphql-ruby's) wording. The first two are the shapes
 * of capture graphql-base-validation-unhappy-paths; the argument errors use graphql-ruby's standard
 * wording (not captured); anything else keeps graphql-js's message.
 */
function shopifyValidationError(error: GraphQLError, paths: Map<ASTNode, string[]>): GraphQLFormattedError {
  const path = error.nodes?.[0] ? paths.get(error.nodes[0]) : undefined;
  const base = { locations: locations(error), ...(path ? { path } : {}) };
  let match = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(error.message);
  if (match) {
    const [, fieldName, typeName] = match;
    return { message: `Field '${fieldName}' doesn't exist on type '${typeName}'`, ...base, extensions: { code: 'undefinedField', typeName, fieldName } };
  }
  match = /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields/.exec(error.message);
  if (match) {
    const [, field, type] = match;
    const typeName = type.replace(/[[\]!]/g, '');
    return {
      message: `Field must have selections (field '${field}' returns ${typeName} but has no selections. Did you mean '${field} { ... }'?)`,
      ...base,
      extensions: { code: 'selectionMismatch', nodeName: `field '${field}'`, typeName },
    };
  }
  match = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"/.exec(error.message);
  if (match) {
    const [, argumentName, name] = match;
    return { message: `Field '${name}' doesn't accept argument '${argumentName}'`, ...base, extensions: { code: 'argumentNotAccepted', name, typeName: 'Field', argumentName } };
  }
  match = /^Field "(\w+)" argument "(\w+)" of type "[^"]+" is required/.exec(error.message);
  if (match) {
    const [, name, argument] = match;
    return { message: `Field '${name}' is missing required arguments: ${argument}`, ...base, extensions: { code: 'missingRequiredArguments', className: 'Field', name, arguments: argument } };
  }
  return { message: error.message, ...base, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
}

/** Capture graphql-base-validation-unhappy-paths: "Variable $product of type ProductCreateInput! was provided invalid value". */
function shopifyVariableError(error: GraphQLError, operation: OperationDefinitionNode, variables: Record<string, unknown>): GraphQLFormattedError {
  const name = /^Variable "\$(\w+)"/.exec(error.message)?.[1] ?? '';
  const definition = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
  const type = definition ? printType(definition.type) : '?';
  const value = variables[name] ?? null;
  const notProvided = / was not provided\.$/.test(error.message) && !error.message.includes('; ');
  const explanation = notProvided ? 'Expected value to not be null' : error.message.split('; ').slice(1).join('; ') || error.message;
  return {
    message: `Variable $${name} of type ${type} was provided invalid value`,
    locations: locations(error),
    extensions: { code: 'INVALID_VARIABLE', value, problems: [{ path: [], explanation }] },
  };
}

function printType(node: NonNullable<OperationDefinitionNode['variableDefinitions']>[number]['type']): string {
  if (node.kind === Kind.NON_NULL_TYPE) return `${printType(node.type)}!`;
  if (node.kind === Kind.LIST_TYPE) return `[${printType(node.type)}]`;
  return node.name.value;
}

/** A rough cost: 1 per object field, 10 per mutation root field. Enough for throttleStatus figures. */
function estimateCost(schema: GraphQLSchema, operation: OperationDefinitionNode): number {
  const typeInfo = new TypeInfo(schema);
  let cost = 0;
  visit(
    operation,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const type = typeInfo.getType();
        if (type && isCompositeType(getNamedType(type))) cost += 1;
      },
    }),
  );
  if (operation.operation === 'mutation') cost += 9 * operation.selectionSet.selections.length;
  return Math.max(1, cost);
}

// ---------------------------------------------------------------------------------------------
// HTTP server

export type ThrottleKind = 'throttled-200' | '429' | '503';

export interface ThrottleOptions {
  /** Defaults to the query's estimated cost. */
  requestedQueryCost?: number;
  /** Defaults to 0. */
  currentlyAvailable?: number;
}

export interface RawResponse {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

export interface DoubleRequest {
  apiVersion: string;
  operationName: string | null;
  rootFields: string[];
  variables: Record<string, unknown>;
  query: string;
  /** How the double answered. */
  outcome: 'ok' | 'invalid' | 'unauthorized' | 'raw' | ThrottleKind;
}

export interface ShopifyDoubleOptions {
  /** When set, only this token is accepted; otherwise any non-empty token is. */
  accessToken?: string;
  maximumAvailable?: number;
  restoreRate?: number;
}

export interface ShopifyDouble {
  /** E.g. `http://127.0.0.1:54321`; pass it as the client's `origin`. */
  origin: string;
  state: ShopifyDoubleState;
  requests: DoubleRequest[];
  /**
   * The next n requests fail: THROTTLED with HTTP 200, HTTP 429 with Retry-After: 1, or HTTP 503.
   * Replaces any failures still pending, so `throttleNext(0, kind)` stops them.
   */
  throttleNext(n: number, kind: ThrottleKind, options?: ThrottleOptions): void;
  /** The next request gets exactly this response (e.g. a body with numbers beyond 2^53). */
  respondNext(response: RawResponse): void;
  close(): Promise<void>;
}

/** The real THROTTLED body (misc/graphql_throttled_response.json), with this bucket's figures. */
function throttledBody(requestedQueryCost: number, currentlyAvailable: number, maximumAvailable: number, restoreRate: number) {
  return {
    errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
    extensions: { cost: { requestedQueryCost, actualQueryCost: null, throttleStatus: { maximumAvailable, currentlyAvailable, restoreRate } } },
  };
}

function parseRequestJson(text: string): unknown {
  // Unsafe integers stay exact (LosslessNumber), so payload sizes and ids match what was sent.
  return parseLossless(text, null, (value) => (isSafeNumber(value) ? Number(value) : new LosslessNumber(value)));
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : (stringifyLossless(body) ?? 'null');
  response.writeHead(status, { 'Content-Type': typeof body === 'string' ? 'text/plain' : 'application/json; charset=utf-8', ...headers });
  response.end(text);
}

/**
 * Token exchange (FACTS 4.13): a session token for an offline access token. The double checks
 * the grant's shape and that the session token is a JWT, and issues `shpat_exchanged_<n>`.
 */
async function exchangeToken(request: IncomingMessage, response: ServerResponse, state: ShopifyDoubleState): Promise<void> {
  const body = JSON.parse((await readBody(request)) || '{}') as Record<string, unknown>;
  const valid =
    body.grant_type === 'urn:ietf:params:oauth:grant-type:token-exchange' &&
    body.subject_token_type === 'urn:ietf:params:oauth:token-type:id_token' &&
    body.requested_token_type === 'urn:shopify:params:oauth:token-type:offline-access-token' &&
    typeof body.client_id === 'string' &&
    typeof body.client_secret === 'string' &&
    typeof body.subject_token === 'string' &&
    body.subject_token.split('.').length === 3;
  if (!valid) return send(response, 400, { error: 'invalid_request', error_description: 'The token exchange request is malformed' });
  state.tokenExchanges.push({ clientId: body.client_id as string, subjectToken: body.subject_token as string });
  return send(response, 200, { access_token: `shpat_exchanged_${state.tokenExchanges.length}`, scope: 'read_orders,write_customers,write_orders' });
}

/** Starts the double on 127.0.0.1 with a free port. */
export async function startShopifyDouble(options: ShopifyDoubleOptions = {}): Promise<ShopifyDouble> {
  const schema = adminSchema();
  const state = new ShopifyDoubleState();
  let origin = '';
  const resultUrl = (id: string) => `${origin}/bulk-results/${id.split('/').pop()}.jsonl`;
  const resolvers = rootResolvers(state, resultUrl);
  const requests: DoubleRequest[] = [];
  const throttles: { kind: ThrottleKind; options: ThrottleOptions }[] = [];
  const raw: RawResponse[] = [];
  const maximumAvailable = options.maximumAvailable ?? 2000;
  const restoreRate = options.restoreRate ?? 100;

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // A bulk operation's result file (Shopify serves it from storage by a signed URL; no token needed).
    const download = /^\/bulk-results\/(\d+)\.jsonl$/.exec(request.url?.split('?')[0] ?? '');
    if (request.method === 'GET' && download) {
      const op = state.bulkOperations.get(`gid://shopify/BulkOperation/${download[1]}`);
      if (!op || op.status !== 'COMPLETED' || op.result === null) return send(response, 404, 'NoSuchKey'); // not captured
      response.writeHead(200, { 'Content-Type': 'application/jsonl' });
      return void response.end(op.result);
    }
    if (request.method === 'POST' && request.url?.split('?')[0] === '/admin/oauth/access_token') {
      return exchangeToken(request, response, state);
    }
    const route = /^\/admin\/api\/([\w-]+)\/graphql\.json$/.exec(request.url?.split('?')[0] ?? '');
    if (request.method !== 'POST' || !route) return send(response, 404, { errors: 'Not Found' });
    const text = await readBody(request);
    let body: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      body = (parseRequestJson(text) ?? {}) as typeof body;
    } catch {
      return send(response, 400, { errors: 'Bad Request: the body is not JSON' }); // not captured
    }
    const query = typeof body.query === 'string' ? body.query : '';
    const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<string, unknown>;
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    let document: DocumentNode | undefined;
    let parseError: GraphQLError | undefined;
    try {
      document = parse(query);
    } catch (error) {
      parseError = error as GraphQLError;
    }
    const operation = document ? getOperationAST(document, operationName) : null;
    const record: DoubleRequest = {
      apiVersion: route[1],
      operationName: operation?.name?.value ?? null,
      rootFields: operation?.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])) ?? [],
      variables,
      query,
      outcome: 'ok',
    };
    requests.push(record);

    const token = request.headers['x-shopify-access-token'];
    if (!token || (options.accessToken !== undefined && token !== options.accessToken)) {
      record.outcome = 'unauthorized';
      // Not captured here: Shopify's well-known body for a bad or revoked token.
      return send(response, 401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
    const next = raw.shift();
    if (next) {
      record.outcome = 'raw';
      return send(response, next.status, next.body, { 'Content-Type': 'application/json', ...next.headers });
    }
    const throttle = throttles.shift();
    if (throttle) {
      record.outcome = throttle.kind;
      if (throttle.kind === '503') return send(response, 503, '503 Service Unavailable');
      const requested = throttle.options.requestedQueryCost ?? (operation ? estimateCost(schema, operation) : 1);
      const throttled = throttledBody(requested, throttle.options.currentlyAvailable ?? 0, maximumAvailable, restoreRate);
      // FACTS 4.9: whether Shopify throttles with 200 or 429 is unsettled; the double does both.
      return throttle.kind === '429' ? send(response, 429, throttled, { 'Retry-After': '1' }) : send(response, 200, throttled);
    }

    if (parseError || !document) {
      record.outcome = 'invalid';
      const detail = (parseError?.message ?? 'empty document').replace(/^Syntax Error: /, '');
      const where = parseError?.locations?.[0];
      return send(response, 200, {
        errors: [
          {
            message: `syntax error, ${detail}${where ? ` at [${where.line}, ${where.column}]` : ''}`,
            ...(where ? { locations: [{ line: where.line, column: where.column }] } : {}),
            extensions: { code: 'PARSE_ERROR' },
          },
        ],
      });
    }
    // Capture graphql-base-validation-unhappy-paths: validation failures are HTTP 200 with errors only (no data, no cost).
    const validationErrors = validate(schema, document);
    if (validationErrors.length > 0 || !operation) {
      record.outcome = 'invalid';
      const paths = fieldPaths(document);
      const errors = validationErrors.length
        ? validationErrors.map((error) => shopifyValidationError(error, paths))
        : [{ message: 'An operation name is required when the document has several operations', extensions: { code: 'OPERATION_NAME_REQUIRED' } }]; // not captured
      return send(response, 200, { errors });
    }
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) {
      record.outcome = 'invalid';
      return send(response, 200, { errors: coerced.errors.map((error) => shopifyVariableError(error, operation, variables)) });
    }
    if (operation.operation === 'query' || operation.operation === 'mutation') {
      const unsupported = record.rootFields.filter((field) => !field.startsWith('__') && !SUPPORTED_ROOTS[operation.operation as 'query' | 'mutation'].has(field));
      if (unsupported.length > 0) {
        record.outcome = 'invalid';
        return send(response, 200, {
          errors: [{ message: `shopifyDouble does not implement ${unsupported.join(', ')}`, extensions: { code: 'NOT_IMPLEMENTED_IN_DOUBLE' } }],
        });
      }
    }

    const result = await execute({ schema, document, rootValue: resolvers, variableValues: variables, operationName, fieldResolver: historyFieldResolver });
    const cost = estimateCost(schema, operation);
    send(response, 200, {
      ...(result.errors?.length ? { errors: result.errors.map((error) => error.toJSON()) } : {}),
      data: result.data ?? null,
      extensions: {
        cost: {
          requestedQueryCost: cost,
          actualQueryCost: cost,
          throttleStatus: { maximumAvailable, currentlyAvailable: maximumAvailable - cost, restoreRate },
        },
      },
    });
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) send(response, 500, { errors: `shopifyDouble crashed: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    state,
    requests,
    throttleNext(n, kind, throttleOptions = {}) {
      throttles.length = 0;
      for (let i = 0; i < n; i++) throttles.push({ kind, options: throttleOptions });
    },
    respondNext(response) {
      raw.push(response);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
