import { describe, expect, it } from 'vitest';
import { isBodyTime, parseIsoTime } from './isoTime.ts';

describe('parseIsoTime: strict ISO 8601 with an offset', () => {
  it('reads Shopify forms to the same instant as Date.parse', () => {
    for (const text of ['2021-12-31T19:00:00-05:00', '2021-12-31T19:00:00-0500', '2023-03-29T18:00:27.877041743Z', '2024-02-29T00:00:00+14:00', '2000-01-01T00:00:00Z']) {
      expect(parseIsoTime(text), text).toBe(Date.parse(text));
    }
  });

  it('refuses what is no real date or time, which Date.parse reads anyway or PostgreSQL refuses', () => {
    for (const text of ['2023-02-29T00:00:00Z', '2023-02-30T00:00:00Z', '2021-04-31T00:00:00Z', '2021-12-31T24:00:00Z', '2021-12-31T23:60:00Z', '2021-12-31T23:59:60Z', '2021-13-01T00:00:00Z', '2021-00-10T00:00:00Z', '2021-12-31T19:00:00+15:00', '2021-12-31T19:00:00', '2021-12-31', 'not-a-date', '', '2021-12-31T19:00:00.1234567890Z']) {
      expect(parseIsoTime(text), text).toBeNull();
    }
  });

  it('reads years below 100 as themselves (Date.UTC would not)', () => {
    expect(new Date(parseIsoTime('0070-01-01T00:00:00Z')!).getUTCFullYear()).toBe(70);
    expect(isBodyTime('0070-01-01T00:00:00Z')).toBe(false);
  });

  it('bounds body times to the years 1970-2099', () => {
    expect(isBodyTime('1970-01-01T00:00:00Z')).toBe(true);
    expect(isBodyTime('2099-12-31T23:59:59Z')).toBe(true);
    expect(isBodyTime('1969-12-31T23:59:59Z')).toBe(false);
    expect(isBodyTime('2100-01-01T00:00:00Z')).toBe(false);
    expect(isBodyTime('0000-01-01T00:00:00Z')).toBe(false);
  });
});
