import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export type JsonLine<T> = { line: number; value: T } | { line: number; error: string };

/** A JSONL file that cannot be opened (missing or unreadable): the message names it and what it should have been. */
export class JsonLinesFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonLinesFileError';
  }
}

/**
 * Reads a JSONL file line by line (blank lines skipped), checking each value with `problemOf`;
 * a bad line is reported with its number and does not stop the others. A missing or unreadable
 * file is a `JsonLinesFileError` naming `what` it should have been.
 */
export async function* readJsonLines<T>(path: string, what: string, problemOf: (value: unknown) => string | undefined): AsyncGenerator<JsonLine<T>> {
  const stream = createReadStream(path, 'utf8');
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) =>
      reject(new JsonLinesFileError(e.code === 'ENOENT' ? `${what} file not found: ${path}` : `cannot read ${path}: ${e.message}`)),
    );
  });
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      yield { line, error: `not valid JSON: ${(e as Error).message}` };
      continue;
    }
    const problem = problemOf(value);
    yield problem ? { line, error: problem } : { line, value: value as T };
  }
}
