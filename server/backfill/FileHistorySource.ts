import { stat } from 'node:fs/promises';
import { readHistory } from '../history/readHistory.ts';
import { eventTime, type HistoryEvent } from '../../engine/history/index.ts';
import { PermanentSourceError, STAGE_TYPES, type FetchStage, type HistoryPage, type HistorySource, type HistoryWindow } from './HistorySource.ts';

/** A history file that does not read as one: the backfill stage fails with this message. */
export class HistoryFileError extends PermanentSourceError {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryFileError';
  }
}

const parsed = new Map<string, { mtimeMs: number; byStage: Map<FetchStage, HistoryEvent[]> }>();

/**
 * A shop's history from a normalized JSONL file (`{ type, <type>: record }` per line, as the demo
 * generator and `refundsentry import-uci` write it), paged by position within each stage's
 * records in time order. The file is read once per change (cached by path and mtime); a bad line
 * fails the read with its line number.
 */
export class FileHistorySource implements HistorySource {
  readonly path: string;
  readonly description: string;

  constructor(path: string) {
    this.path = path;
    this.description = `history file ${path}`;
  }

  async readPage(stage: FetchStage, cursor: string | null, window: HistoryWindow, pageSize: number): Promise<HistoryPage> {
    const from = Date.parse(window.from);
    const to = Date.parse(window.to);
    const inWindow = (await this.recordsOf(stage)).filter((e) => {
      const at = Date.parse(eventTime(e));
      return e.type === 'customer' || (at >= from && at < to);
    });
    const start = cursor === null ? 0 : Number(cursor);
    if (!Number.isInteger(start) || start < 0) throw new HistoryFileError(`bad cursor ${JSON.stringify(cursor)} for ${this.description}`);
    const end = Math.min(inWindow.length, start + pageSize);
    const total = inWindow.filter((e) => e.type !== 'customer').length;
    return { events: inWindow.slice(start, end), next: end < inWindow.length ? String(end) : null, total };
  }

  private async recordsOf(stage: FetchStage): Promise<HistoryEvent[]> {
    let info: { mtimeMs: number };
    try {
      info = await stat(this.path);
    } catch {
      throw new HistoryFileError(`history file not found: ${this.path}`);
    }
    let cached = parsed.get(this.path);
    if (!cached || cached.mtimeMs !== info.mtimeMs) {
      const byStage = new Map<FetchStage, HistoryEvent[]>();
      for await (const line of readHistory(this.path)) {
        if ('error' in line) throw new HistoryFileError(`${this.path} line ${line.line}: ${line.error}`);
        const stageOf = (Object.keys(STAGE_TYPES) as FetchStage[]).find((s) => STAGE_TYPES[s].includes(line.value.type));
        if (!stageOf) continue; // outcomes are RefundSentry's own, not the shop's history
        if (!byStage.has(stageOf)) byStage.set(stageOf, []);
        byStage.get(stageOf)!.push(line.value);
      }
      // Customers first (they carry no time a window applies to), then by time; stable otherwise.
      for (const events of byStage.values()) events.sort((a, b) => (a.type === 'customer' ? 0 : 1) - (b.type === 'customer' ? 0 : 1) || Date.parse(eventTime(a)) - Date.parse(eventTime(b)));
      cached = { mtimeMs: info.mtimeMs, byStage };
      parsed.set(this.path, cached);
    }
    return cached.byStage.get(stage) ?? [];
  }
}
