import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChartFigure, describeSeries } from './ChartFigure.tsx';

/**
 * A chart as one named image with its data in words, the chart itself hidden from screen readers
 * (rendered to HTML, no browser). In Chromium, with polaris-viz's charts and axe:
 * `e2e/accessibility.test.ts`.
 */
describe('ChartFigure', () => {
  it('says each series by name with its points in order, formatted', () => {
    const data = [
      { name: 'Store credit', data: [{ key: 'Low', value: 120 }, { key: 'High', value: null }] },
      { name: 'Cash', data: [] },
    ];
    expect(describeSeries(data)).toBe('Store credit: Low 120, High no data; Cash: no data.');
    expect(describeSeries([{ data: [{ key: '2026-01', value: 1234.5 }] }], (v) => `$${v.toFixed(2)}`)).toBe('2026-01 $1234.50.');
  });

  it('draws an image named and described by the data, beside the chart hidden from assistive technology', () => {
    const data = [{ name: 'Disputes', data: [{ key: '2026-10', value: 2 }, { key: '2026-11', value: 5 }] }];
    const html = renderToStaticMarkup(
      createElement(ChartFigure, { label: 'Bar chart of disputes by month', data, height: 200, testId: 'chart', children: (d) => createElement('svg', { 'data-points': d[0]!.data.length }) }),
    );
    const image = /<div role="img" aria-label="Bar chart of disputes by month" aria-describedby="([^"]+)"><\/div>/.exec(html);
    expect(image, html).not.toBeNull();
    expect(html).toContain(`<p id="${image![1]}" hidden="">Disputes: 2026-10 2, 2026-11 5.</p>`);
    // The chart is drawn from the same data, outside the image (its legend's buttons would be controls nested in it), hidden.
    expect(html).toContain('<div aria-hidden="true" style="height:200px"><svg data-points="2"></svg></div>');
    expect(html.startsWith('<div data-testid="chart">')).toBe(true);
  });
});
