import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseScrubbedJson } from '../shopify/normalize/index.ts';
import { HistoryFileError } from './FileHistorySource.ts';
import { assembleBulkJsonl, BulkResultError } from './bulk/bulkJsonl.ts';
import { pageEvents, stageItems, type RecordDetails, type StageItem } from './bulk/bulkRecords.ts';
import type { FetchStage, HistoryPage, HistorySource, HistoryWindow } from './HistorySource.ts';

const parsed = new Map<string, { mtimeMs: number; items: StageItem[]; details: Map<string, RecordDetails> }>();

/**
 * A shop's history from files in Shopify's own shapes, for exports made elsewhere and for tests:
 * `<stage>.jsonl` is the stage's bulk-operation result (the JSONL of the query in
 * `bulk/bulkQueries.ts`, children with `__parentId`), and for returns and refunds
 * `<stage>.details.jsonl` holds one `nodes(ids:)` answer per line (BackfillReturnDetails /
 * BackfillRefundDetails). Records go through the same assembly and normalizers as the live
 * bulk source. A stage with no file has no records; a bad line fails the stage by its number.
 */
export class BulkFileHistorySource implements HistorySource {
  readonly description: string;
  private readonly dir: string;
  private readonly shopKey: () => Promise<string>;

  constructor(dir: string, shopKey: () => Promise<string>) {
    this.dir = dir;
    this.shopKey = shopKey;
    this.description = `bulk result files in ${dir}`;
  }

  async readPage(stage: FetchStage, cursor: string | null, window: HistoryWindow, pageSize: number): Promise<HistoryPage> {
    const { items, details } = await this.load(stage, window);
    const start = cursor === null ? 0 : Number(cursor);
    if (!Number.isInteger(start) || start < 0) throw new HistoryFileError(`bad cursor ${JSON.stringify(cursor)} for ${this.description}`);
    const slice = items.slice(start, start + pageSize);
    const end = start + slice.length;
    try {
      return { events: pageEvents(stage, slice, details), next: end < items.length ? String(end) : null, total: items.length };
    } catch (error) {
      throw new HistoryFileError(`${this.description}, ${stage}: ${(error as Error).message}`);
    }
  }

  private async load(stage: FetchStage, window: HistoryWindow) {
    const path = join(this.dir, `${stage}.jsonl`);
    const detailsPath = join(this.dir, `${stage}.details.jsonl`);
    const mtimeMs = (await stat(path).catch(() => null))?.mtimeMs ?? -1;
    const key = `${path}\n${window.from}\n${window.to}`;
    const cached = parsed.get(key);
    if (cached && cached.mtimeMs === mtimeMs) return cached;
    try {
      const text = mtimeMs < 0 ? '' : await readFile(path, 'utf8');
      const items = stageItems(stage, assembleBulkJsonl(text, path), window, await this.shopKey());
      const details = new Map<string, RecordDetails>();
      const detailsText = await readFile(detailsPath, 'utf8').catch(() => '');
      detailsText.split('\n').forEach((line, index) => {
        if (!line.trim()) return;
        let node: RecordDetails;
        try {
          node = parseScrubbedJson(line) as RecordDetails; // NUL and lone surrogates → U+FFFD, as in webhook bodies
        } catch (error) {
          throw new BulkResultError(`${detailsPath} line ${index + 1}: not JSON (${(error as Error).message})`);
        }
        if (typeof node?.id !== 'string') throw new BulkResultError(`${detailsPath} line ${index + 1}: no "id"`);
        details.set(node.id, node);
      });
      const loaded = { mtimeMs, items, details };
      parsed.set(key, loaded);
      return loaded;
    } catch (error) {
      throw new HistoryFileError((error as Error).message);
    }
  }
}
