const EMAIL = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[a-z]{2,}/gi;
/** A run of digits with phone separators; replaced only when it holds 7+ digits and is no date. */
const PHONE_LIKE = /\+?\(?\d[\d\s().-]{5,}\d/g;
const DATE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{2,4}$/;

/**
 * A customer's free-text return note, kept because its wording is evidence (vague vs specific),
 * with anything that looks like an email address or phone number replaced. Undefined when
 * nothing but whitespace is left.
 */
export function scrubNote(note: string | null | undefined): string | undefined {
  if (!note) return undefined;
  const scrubbed = note
    .replace(EMAIL, '[email]')
    .replace(PHONE_LIKE, (match) => {
      const digits = match.replace(/\D/g, '').length;
      return digits >= 7 && !DATE.test(match.trim()) ? '[phone]' : match;
    })
    .trim();
  return scrubbed || undefined;
}
