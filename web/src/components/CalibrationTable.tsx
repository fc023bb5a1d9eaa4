import { DataTable, Text } from '@shopify/polaris';
import type { CalibrationBand } from '../api.ts';

export type { CalibrationBand };

/** One version's calibration: its title ("Live v3", "Fitted draft v7") and its score bands. */
export interface CalibrationColumn {
  title: string;
  bands: readonly CalibrationBand[];
}

const rate = (band: CalibrationBand | undefined) =>
  !band || band.rows === 0 ? '—' : `${((band.positives / band.rows) * 100).toFixed(band.positives === 0 || band.positives === band.rows ? 0 : 1)}% (${band.positives} of ${band.rows.toLocaleString('en')})`;

/**
 * Calibration tables side by side: for each score band, the share of subjects with a known outcome
 * that turned out fraud in each version, with the counts it rests on. Bands no version has a
 * labelled subject in are left out.
 */
export function CalibrationTable({ columns, caption }: { columns: readonly CalibrationColumn[]; caption?: string }) {
  const first = columns[0]?.bands ?? [];
  const used = first.map((band, i) => ({ band, i })).filter(({ i }) => columns.some((c) => (c.bands[i]?.rows ?? 0) > 0));
  return (
    <div data-testid="calibration-table">
      {caption ? <Text as="p" variant="bodySm" tone="subdued">{caption}</Text> : null}
      {used.length === 0 ? (
        <Text as="p" tone="subdued">No subject with a known outcome yet.</Text>
      ) : (
        <DataTable
          columnContentTypes={['text', ...columns.map(() => 'numeric' as const)]}
          headings={['Score', ...columns.map((c) => `${c.title}: fraud rate`)]}
          rows={used.map(({ band, i }) => [`${band.from}–${band.to}`, ...columns.map((c) => rate(c.bands[i]))])}
        />
      )}
    </div>
  );
}
