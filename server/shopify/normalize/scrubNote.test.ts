import { describe, expect, it } from 'vitest';
import { scrubNote } from './scrubNote.ts';

describe('scrubNote', () => {
  it('keeps the wording and replaces emails and phone numbers', () => {
    expect(scrubNote('Too small, email me at Jane.Doe+x@mail.example.co.uk')).toBe('Too small, email me at [email]');
    expect(scrubNote('Call +44 20 7946 0958 or (555) 123-4567')).toBe('Call [phone] or [phone]');
    expect(scrubNote('555-555-1234')).toBe('[phone]');
  });

  it('leaves dates, sizes and short numbers alone', () => {
    expect(scrubNote('Bought 2024-05-01, size 42, order #1234, 3 items')).toBe('Bought 2024-05-01, size 42, order #1234, 3 items');
  });

  it('drops empty notes', () => {
    expect(scrubNote('   ')).toBeUndefined();
    expect(scrubNote(null)).toBeUndefined();
    expect(scrubNote('')).toBeUndefined();
  });
});
