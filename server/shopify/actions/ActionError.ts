/** A Shopify userError (`field` is the input path; `code` exists on typed userErrors only). */
export interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

/** An action could not be carried out for a reason other than transport (see ShopifyApiError). */
export class ActionError extends Error {
  /** The executor that failed, e.g. `holdFulfillment`. */
  readonly action: string;
  readonly userErrors: UserError[];

  constructor(action: string, message: string, userErrors: UserError[] = []) {
    super(`${action}: ${message}`);
    this.name = 'ActionError';
    this.action = action;
    this.userErrors = userErrors;
  }
}

/** `message [CODE] (field.path)` for each userError on one line (Flow's messages span several). */
export function describeUserErrors(errors: UserError[]): string {
  return errors
    .map((error) => {
      const code = error.code ? ` [${error.code}]` : '';
      const field = error.field?.length ? ` (${error.field.join('.')})` : '';
      return `${error.message.replace(/\s+/g, ' ').trim()}${code}${field}`;
    })
    .join('; ');
}
