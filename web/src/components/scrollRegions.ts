import { useEffect } from 'react';

/** Polaris tables' horizontal scroll containers (DataTable, IndexTable). */
const CONTAINERS = '.Polaris-DataTable__ScrollContainer, .Polaris-IndexTable-ScrollContainer';
/** What a keyboard reaches by Tab. */
const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The table's name for a screen reader: the heading of the card it is in, else "Table". */
function nameOf(container: HTMLElement): string {
  const heading = container.closest('.Polaris-ShadowBevel, .Polaris-Card, .Polaris-LegacyCard')?.querySelector('h2, h3')?.textContent?.trim();
  return heading ? `${heading} (table)` : 'Table';
}

/**
 * A table wider than its card scrolls sideways, which a keyboard can do only from inside it: one
 * that holds no link, button or field of its own is made a focusable, named region (Tab reaches it,
 * the arrow keys scroll it), and given back as it was once it fits again. Polaris has no prop for
 * it; axe's `scrollable-region-focusable` is what finds a table left out.
 */
export function reachScrollRegions(root: ParentNode): void {
  for (const container of root.querySelectorAll<HTMLElement>(CONTAINERS)) {
    const ours = container.dataset.scrollRegion !== undefined;
    const overflows = container.scrollWidth > container.clientWidth + 1;
    const needs = overflows && (ours || container.querySelector(FOCUSABLE) === null);
    if (needs && !ours) {
      container.dataset.scrollRegion = '';
      container.tabIndex = 0;
      container.setAttribute('role', 'region');
      container.setAttribute('aria-label', nameOf(container));
    } else if (!needs && ours) {
      delete container.dataset.scrollRegion;
      for (const attribute of ['tabindex', 'role', 'aria-label']) container.removeAttribute(attribute);
    }
  }
}

/** Keeps every table of the page reachable as it is drawn, redrawn and resized (the frame calls it once). */
export function useScrollRegions(): void {
  useEffect(() => {
    let frame = 0;
    const check = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => reachScrollRegions(document));
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true });
    window.addEventListener('resize', check);
    check();
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      window.removeEventListener('resize', check);
    };
  }, []);
}
