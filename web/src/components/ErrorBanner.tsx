import { Banner } from '@shopify/polaris';
import type { ApiError } from '../api.ts';

/** A failed API call as a critical banner with the server's message (never a blank page). */
export function ErrorBanner({ error, onRetry, title = 'Something went wrong' }: { error: ApiError | Error | undefined; onRetry?: () => void; title?: string }) {
  if (!error) return null;
  return (
    <Banner tone="critical" title={title} action={onRetry ? { content: 'Try again', onAction: onRetry } : undefined}>
      <p>{error.message}</p>
    </Banner>
  );
}
