import type { HistoryEvent } from '../../engine/history/index.ts';
import type { AdminGraphqlClient } from '../shopify/AdminGraphqlClient.ts';
import { BACKFILL_REFUND_DETAILS, BACKFILL_RETURN_DETAILS, BULK_OPERATION_RUN_QUERY, BULK_OPERATION_STATUS } from '../shopify/operations.ts';
import { PayloadError, scrubStrings } from '../shopify/normalize/index.ts';
import { ShopifyApiError } from '../shopify/ShopifyApiError.ts';
import { assembleBulkJsonl, BulkResultError, type AssembledNode } from './bulk/bulkJsonl.ts';
import { bulkQueryFor } from './bulk/bulkQueries.ts';
import { pageEvents, stageItems, type RecordDetails, type StageItem } from './bulk/bulkRecords.ts';
import { PermanentSourceError, SourceAuthError, type FetchStage, type HistoryPage, type HistorySource, type HistoryWindow } from './HistorySource.ts';

/** The shop's Admin API client and hash key, or null when the shop has no token (the backfill pauses). */
export type ShopConnection = () => Promise<{ client: AdminGraphqlClient; shopKey: string } | null>;

export interface BulkSourceOptions {
  /** How long to wait before asking again about a running operation (the finish webhook wakes it sooner). */
  pollMs?: number;
  /** Returns or refunds per `nodes(ids:)` details query. */
  detailsBatch?: number;
  /** How many times a failed, cancelled or expired operation is started again before the stage fails. */
  maxRestarts?: number;
  /** Downloads a result file (tests pass the double's fetch; defaults to global fetch). */
  fetch?: typeof fetch;
}

/** The checkpointed cursor: which operation the stage reads and how far into its records. */
interface BulkCursor {
  /** The operation's gid; '' when a retry must start a new one. */
  operation: string;
  offset: number;
  restarts: number;
  /** Status polls so far (the wait between them grows). */
  polls?: number;
}

interface BulkStatus {
  id: string;
  status: 'CREATED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'EXPIRED';
  errorCode: 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT' | null;
  objectCount: string;
  rootObjectCount: string;
  url: string | null;
  partialDataUrl: string | null;
}

/** Downloaded and assembled results, by operation id (a resumed process downloads again). */
const results = new Map<string, StageItem[]>();
const MAX_CACHED_RESULTS = 8;

/**
 * A shop's history from Shopify bulk operations (FACTS 4.7): each fetch stage runs one
 * `bulkOperationRunQuery`, checkpoints the operation's id at once (a crash or retry goes on with
 * the same operation instead of starting another), polls `bulkOperation(id:)` until it is done,
 * downloads the JSONL, puts children back under their parents, and pages through the stage's
 * records in time order. Returns and refunds get their lines by id (`nodes`), a page at a time.
 *
 * A 401 pauses the backfill (SourceAuthError); throttling, 5xx and OPERATION_IN_PROGRESS are
 * transient (the job retries from the checkpoint); a failed, cancelled or expired operation is
 * started again a few times; ACCESS_DENIED or an invalid query fail the stage.
 */
export class BulkOperationHistorySource implements HistorySource {
  readonly description: string;
  private readonly connect: ShopConnection;
  private readonly pollMs: number;
  private readonly detailsBatch: number;
  private readonly maxRestarts: number;
  private readonly fetch: typeof fetch;

  constructor(shop: string, connect: ShopConnection, options: BulkSourceOptions = {}) {
    this.description = `Shopify bulk operations of ${shop}`;
    this.connect = connect;
    this.pollMs = options.pollMs ?? 5_000;
    this.detailsBatch = options.detailsBatch ?? 25;
    this.maxRestarts = options.maxRestarts ?? 3;
    this.fetch = options.fetch ?? fetch;
  }

  async readPage(stage: FetchStage, cursor: string | null, window: HistoryWindow, pageSize: number): Promise<HistoryPage> {
    const connection = await this.connect();
    if (!connection) throw new SourceAuthError(`${this.description}: the shop has no access token; reconnect the app`);
    const { client, shopKey } = connection;
    return this.guard(async () => {
      const at = cursor ? parseCursor(cursor) : null;
      if (!at || at.operation === '') return this.begin(client, stage, window, { offset: at?.offset ?? 0, restarts: 0 });
      const status = await this.status(client, at.operation);
      if (!status || status.status === 'FAILED' || status.status === 'CANCELED' || status.status === 'EXPIRED') {
        // A retry of the failed stage starts a new operation, keeping the records already stored.
        const retry = JSON.stringify({ operation: '', offset: at.offset, restarts: 0 } satisfies BulkCursor);
        if (status?.errorCode === 'ACCESS_DENIED') {
          throw new PermanentSourceError(`bulk operation ${at.operation} for ${stage} was denied access (ACCESS_DENIED): the app lacks a scope this stage needs`, retry);
        }
        const why = status ? `${status.status}${status.errorCode ? ` (${status.errorCode})` : ''}` : 'not found';
        if (at.restarts >= this.maxRestarts) {
          throw new PermanentSourceError(`bulk operation for ${stage} ended ${why} ${at.restarts + 1} times; retry the stage later`, retry);
        }
        return this.begin(client, stage, window, { offset: at.offset, restarts: at.restarts + 1 });
      }
      if (status.status !== 'COMPLETED') {
        // Small exports finish in seconds: ask again after 1 s, 2 s, 4 s…, up to pollMs.
        const polls = (at.polls ?? 0) + 1;
        return { events: [], next: JSON.stringify({ ...at, polls }), waitMs: Math.min(this.pollMs, 1000 * 2 ** (polls - 1)) };
      }
      const items = await this.items(stage, status, window, shopKey);
      const slice = items.slice(at.offset, at.offset + pageSize);
      const events = await this.eventsOf(client, stage, slice);
      const end = at.offset + slice.length;
      return { events, next: end < items.length ? JSON.stringify({ operation: at.operation, offset: end, restarts: at.restarts } satisfies BulkCursor) : null, total: items.length };
    });
  }

  /** Starts the stage's bulk query; the page carries no records, only the checkpoint of the operation. */
  private async begin(client: AdminGraphqlClient, stage: FetchStage, window: HistoryWindow, position: { offset: number; restarts: number }): Promise<HistoryPage> {
    const { data } = await client.request<{
      bulkOperationRunQuery: { bulkOperation: { id: string; status: string } | null; userErrors: { field: string[] | null; message: string; code: string | null }[] };
    }>(BULK_OPERATION_RUN_QUERY, { query: bulkQueryFor(stage, window) });
    const { bulkOperation, userErrors } = data.bulkOperationRunQuery;
    if (userErrors.length > 0 || !bulkOperation) {
      const message = userErrors.map((e) => `${e.code ?? 'ERROR'}: ${e.message}`).join('; ') || 'no bulk operation was created';
      // Five bulk queries per app and shop may run at once (FACTS 4.7): wait for one to finish.
      if (userErrors.every((e) => e.code === 'OPERATION_IN_PROGRESS')) throw new Error(`bulk query for ${stage} not started yet: ${message}`);
      throw new PermanentSourceError(`bulk query for ${stage} was refused: ${message}`);
    }
    const next: BulkCursor = { operation: bulkOperation.id, ...position };
    return { events: [], next: JSON.stringify(next), waitMs: Math.min(this.pollMs, 1000) };
  }

  private async status(client: AdminGraphqlClient, id: string): Promise<BulkStatus | null> {
    const { data } = await client.request<{ bulkOperation: BulkStatus | null }>(BULK_OPERATION_STATUS, { id });
    return data.bulkOperation;
  }

  /** The stage's records in time order (ties by id), downloaded once per operation and process. */
  private async items(stage: FetchStage, status: BulkStatus, window: HistoryWindow, shopKey: string): Promise<StageItem[]> {
    const cached = results.get(status.id);
    if (cached) return cached;
    let roots: AssembledNode[] = [];
    if (status.url) {
      const response = await this.fetch(status.url);
      if (!response.ok) throw new Error(`downloading the ${stage} bulk result failed: HTTP ${response.status}`);
      roots = assembleBulkJsonl(await response.text(), `${stage} bulk result`);
    }
    const items = stageItems(stage, roots, window, shopKey);
    if (results.size >= MAX_CACHED_RESULTS) results.delete(results.keys().next().value!);
    results.set(status.id, items);
    return items;
  }

  /** The page's events; returns and refunds first get their lines by id (`nodes`). */
  private async eventsOf(client: AdminGraphqlClient, stage: FetchStage, slice: StageItem[]): Promise<HistoryEvent[]> {
    const details = new Map<string, RecordDetails>();
    if (stage === 'returns' || stage === 'refunds') {
      const document = stage === 'returns' ? BACKFILL_RETURN_DETAILS : BACKFILL_REFUND_DETAILS;
      for (let i = 0; i < slice.length; i += this.detailsBatch) {
        const ids = slice.slice(i, i + this.detailsBatch).map((item) => item.id);
        const { data } = await client.request<{ nodes: (RecordDetails | null)[] }>(document, { ids });
        // NUL and lone surrogates → U+FFFD, as in webhook bodies (the bulk results are scrubbed as they are parsed).
        for (const node of data.nodes) if (node && typeof node.id === 'string') details.set(node.id, scrubStrings(node));
      }
    }
    return pageEvents(stage, slice, details);
  }

  /** Maps Admin API failures onto what the backfill does about them. */
  private async guard(read: () => Promise<HistoryPage>): Promise<HistoryPage> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ShopifyApiError) {
        if (error.kind === 'unauthorized') throw new SourceAuthError(`${this.description}: the access token was refused (HTTP ${error.status ?? 401}); reconnect the app`);
        if (error.kind === 'graphql') throw new PermanentSourceError(`${this.description}: ${error.message}`);
      }
      if (error instanceof BulkResultError || error instanceof PayloadError) throw new PermanentSourceError(error.message);
      throw error; // throttled, 5xx, network: transient, retried from the checkpoint
    }
  }
}

function parseCursor(cursor: string): BulkCursor {
  let value: unknown;
  try {
    value = JSON.parse(cursor);
  } catch {
    value = null;
  }
  const c = value as Partial<BulkCursor> | null;
  if (!c || typeof c.operation !== 'string' || !Number.isInteger(c.offset) || !Number.isInteger(c.restarts)) {
    throw new PermanentSourceError(`bad bulk-operation cursor ${JSON.stringify(cursor)}`);
  }
  return c as BulkCursor;
}
