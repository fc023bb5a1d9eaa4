import { Navigation, type IconSource } from '@shopify/polaris';
import { createElement } from 'react';
import { Link } from 'react-router-dom';

/** A top-level page of the admin: an entry of the navigation (App Bridge's menu or the Polaris sidebar). */
export interface NavPage {
  /** The router path (under the /app basename). The first page is the home page. */
  url: string;
  label: string;
  icon: IconSource;
  /** Paths of detail pages that belong to this entry: its item stays selected on them. */
  matchPaths?: string[];
}

/**
 * Whether the admin runs embedded in Shopify admin, decided as the API wrapper decides it
 * (`src/api.ts`): App Bridge is loaded. The server adds App Bridge's script to the page only when
 * it has an API key (never in demo mode), and the script defines `window.shopify` before the
 * app's module runs. A `host` parameter without App Bridge (a copied link opened on its own) is
 * not embedded: nothing would read the menu, and the API would get no session token.
 */
export function isEmbedded(): boolean {
  return typeof window !== 'undefined' && window.shopify !== undefined;
}

/**
 * App Bridge's navigation menu (`<ui-nav-menu>`, App Bridge v4's web component, which is what
 * `@shopify/app-bridge-react`'s `NavMenu` renders): Shopify admin draws it in its own sidebar on
 * desktop and in the title bar's dropdown on Shopify mobile. The first link (`rel="home"`) names
 * the home page and is not listed there. The links are router links: when the merchant chooses an
 * item, App Bridge clicks its link in the page and the router goes there without reloading the
 * frame (Shopify's React app template puts router links in its menu for the same reason).
 */
export function AppBridgeNavMenu({ pages }: { pages: readonly NavPage[] }) {
  const [home, ...rest] = pages;
  return createElement(
    'ui-nav-menu',
    // Shopify admin draws the menu; in the page the links are never shown (App Bridge reads them).
    { style: { display: 'none' } },
    <Link key={home.url} to={home.url} rel="home">{home.label}</Link>,
    ...rest.map((page) => <Link key={page.url} to={page.url}>{page.label}</Link>),
  );
}

/**
 * The Polaris sidebar, outside Shopify admin (demo or standalone): beside the page from 768 px,
 * a drawer opened by the top bar's menu button below. `onNavigate` closes the drawer once an item
 * is chosen.
 */
export function SideNavigation({ pages, pathname, onNavigate }: { pages: readonly NavPage[]; pathname: string; onNavigate: () => void }) {
  return (
    <Navigation location={pathname} onDismiss={onNavigate}>
      <Navigation.Section
        items={pages.map((page) => ({
          url: page.url,
          label: page.label,
          icon: page.icon,
          // The home page ('/') would otherwise match every path.
          exactMatch: page.url === '/',
          matchPaths: page.matchPaths,
        }))}
      />
    </Navigation>
  );
}
