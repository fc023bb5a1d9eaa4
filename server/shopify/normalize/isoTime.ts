/**
 * ISO 8601 times as Shopify sends them (`2021-12-31T19:00:00-05:00`, `2023-03-29T18:00:27.877041743Z`),
 * read strictly: a real calendar date and clock time, an offset within ±14:00. `Date.parse` is no
 * check: V8 reads `2023-02-30` as 2 March and `T24:00` as midnight, and PostgreSQL refuses the
 * first (a 500 where the body was at fault), nor is the pattern alone (`0000-01-01`, `9999-99-99`).
 */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** Body timestamps (created_at, updated_at, …) are refused outside [1970-01-01, 2100-01-01) UTC. */
export const EARLIEST_BODY_TIME = Date.UTC(1970, 0, 1);
export const LATEST_BODY_TIME = Date.UTC(2100, 0, 1);

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** The instant (ms since the epoch) of a strict ISO 8601 time with an offset, or null when it is not one. */
export function parseIsoTime(text: string): number | null {
  const match = ISO_TIME.exec(text);
  if (!match) return null;
  const year = +match[1]!;
  const month = +match[2]!;
  const day = +match[3]!;
  const hour = +match[4]!;
  const minute = +match[5]!;
  const second = +match[6]!;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (match[8]) {
    const hours = +match[9]!;
    const minutes = +match[10]!;
    if (hours > 14 || minutes > 59) return null;
    offsetMinutes = (match[8] === '-' ? -1 : 1) * (hours * 60 + minutes);
  }
  let at = Date.UTC(year, month - 1, day, hour, minute, second);
  if (year < 100) {
    const date = new Date(at);
    date.setUTCFullYear(year); // Date.UTC reads years 0-99 as 1900-1999
    at = date.getTime();
  }
  const fraction = match[7] ? Math.floor(Number(`0${match[7]}`) * 1000) : 0;
  return at + fraction - offsetMinutes * 60_000;
}

/** Whether `text` is a strict ISO 8601 time within the years a stored body timestamp may have (1970-2099). */
export function isBodyTime(text: string): boolean {
  const at = parseIsoTime(text);
  return at !== null && at >= EARLIEST_BODY_TIME && at < LATEST_BODY_TIME;
}
