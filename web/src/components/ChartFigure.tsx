import type { DataSeries } from '@shopify/polaris-viz';
import { type ReactNode, useEffect, useId, useRef } from 'react';

/** What a screen reader hears for a chart's data: each series by name with its points in order. */
export function describeSeries(data: DataSeries[], format: (value: number) => string = (value) => value.toLocaleString()): string {
  const series = data.map((s) => {
    const points = s.data.map((p) => `${p.key} ${p.value === null ? 'no data' : format(p.value)}`).join(', ');
    return s.name ? `${s.name}: ${points || 'no data'}` : points;
  });
  return `${series.join('; ')}.`;
}

/** Whatever a keyboard could reach inside the chart. */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])';

/**
 * A polaris-viz chart as one image for assistive technology: an element of role `img` named by
 * `label` and described by the data in words (`describeSeries`, from the same `data` the chart
 * draws), beside the chart itself, hidden from screen readers and taken out of the tab order (not
 * inside the image: its legend's buttons would be controls nested in an image). polaris-viz's own
 * markup (an SVG with `role="table"` or `"list"` missing their rows or items, points with
 * `role="image"` and no name, focusable points) is what axe reports otherwise; the mouse keeps the
 * chart's tooltips. `children` draws the chart from the data it is given.
 */
export function ChartFigure({ label, data, height, format, testId, children }: {
  label: string;
  data: DataSeries[];
  height: number;
  format?: (value: number) => string;
  testId?: string;
  children: (data: DataSeries[]) => ReactNode;
}) {
  const id = useId();
  const chart = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const root = chart.current;
    if (!root) return;
    // polaris-viz gives some points tabIndex 0: inside aria-hidden they must not take the focus.
    const untab = () => {
      // Only where it differs: setting it again would be a mutation of its own, observed without end.
      for (const node of root.querySelectorAll(FOCUSABLE)) if (node.getAttribute('tabindex') !== '-1') node.setAttribute('tabindex', '-1');
    };
    untab();
    const observer = new MutationObserver(untab);
    observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['tabindex', 'href'] });
    return () => observer.disconnect();
  }, []);
  return (
    <div data-testid={testId}>
      <div role="img" aria-label={label} aria-describedby={`${id}data`} />
      <p id={`${id}data`} hidden>{describeSeries(data, format)}</p>
      <div ref={chart} aria-hidden="true" style={{ height }}>
        {children(data)}
      </div>
    </div>
  );
}
