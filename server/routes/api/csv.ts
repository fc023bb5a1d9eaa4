import type { ResponseToolkit } from '@hapi/hapi';
import { stringify } from 'csv-stringify/sync';

/** A text cell a spreadsheet would read as a formula (or DDE command): OWASP's leading characters. */
const FORMULA_LEAD = /^[=+\-@\t\r]/;
/** Text that is a plain decimal number (e.g. a PostgreSQL numeric read as a string): no formula can hide in it. */
const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * OWASP's CSV injection rule for one text cell: prefixed with `'` when it starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return, so a spreadsheet shows it as text instead of running it.
 * Numbers are not text (csv-stringify casts them apart) and a text cell holding only a decimal
 * number is left as it is: `-5` stays `-5`.
 */
export function neutralizeCell(value: string): string {
  return FORMULA_LEAD.test(value) && !NUMERIC.test(value) ? `'${value}` : value;
}

/** A CSV document (header row first) with every text cell neutralized. The only CSV writer of the API. */
export function toCsv(rows: readonly (readonly unknown[])[], columns: readonly string[]): string {
  return stringify(rows as unknown[][], { header: true, columns: [...columns], cast: { string: neutralizeCell } });
}

/** A CSV download: `toCsv` as `text/csv`, saved as `<filename>.csv`. */
export function csvResponse(h: ResponseToolkit, filename: string, columns: readonly string[], rows: readonly (readonly unknown[])[]) {
  return h.response(toCsv(rows, columns)).type('text/csv').header('content-disposition', `attachment; filename="${filename}.csv"`);
}
