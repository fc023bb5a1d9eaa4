import { AppProvider, Frame } from '@shopify/polaris';
import { HomeIcon, SettingsIcon, TeamIcon } from '@shopify/polaris-icons';
import en from '@shopify/polaris/locales/en.json' with { type: 'json' };
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { StaticRouter } from 'react-router-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { AppBridgeNavMenu, isEmbedded, type NavPage, SideNavigation } from './AppNavigation.tsx';

/**
 * The two navigations rendered to HTML (no browser): App Bridge's menu when embedded, the Polaris
 * sidebar outside Shopify admin; and how the admin tells them apart (App Bridge's `window.shopify`).
 * In Chromium, with the whole frame: `e2e/navigation.test.ts`.
 */

const pages: NavPage[] = [
  { url: '/', label: 'Dashboard', icon: HomeIcon, matchPaths: ['/decisions'] },
  { url: '/rings', label: 'Fraud rings', icon: TeamIcon },
  { url: '/settings', label: 'Settings', icon: SettingsIcon },
];

const render = (node: React.ReactNode, path = '/app/') =>
  renderToStaticMarkup(createElement(AppProvider, { i18n: en }, createElement(StaticRouter, { basename: '/app', location: path }, node)));

const global = globalThis as { window?: unknown };
afterEach(() => {
  delete global.window;
});

describe('the navigation', () => {
  it('is embedded only when App Bridge has defined window.shopify', () => {
    expect(isEmbedded()).toBe(false);
    global.window = {};
    expect(isEmbedded()).toBe(false);
    global.window = { shopify: { idToken: async () => 'token' } };
    expect(isEmbedded()).toBe(true);
  });

  it('embedded: a ui-nav-menu of router links under /app, the first one home, and no Polaris sidebar', () => {
    const html = render(createElement(AppBridgeNavMenu, { pages }));
    expect(/<ui-nav-menu.*<\/ui-nav-menu>/.exec(html)?.[0]).toBe(
      '<ui-nav-menu style="display:none"><a rel="home" href="/app">Dashboard</a><a href="/app/rings">Fraud rings</a><a href="/app/settings">Settings</a></ui-nav-menu>',
    );
    expect(html).not.toContain('Polaris-Navigation');
  });

  it('outside Shopify admin: the Polaris sidebar, the item of the current page selected (a detail page selects its entry)', () => {
    const sidebar = (path: string) => render(createElement(Frame, null, createElement(SideNavigation, { pages, pathname: path, onNavigate: () => undefined })), `/app${path}`);
    const selected = (html: string) => [...html.matchAll(/Polaris-Navigation__Item--selected[^>]*href="([^"]+)"/g)].map((m) => m[1]);
    expect(sidebar('/')).not.toContain('ui-nav-menu');
    expect(selected(sidebar('/'))).toEqual(['/']);
    expect(selected(sidebar('/decisions/12'))).toEqual(['/']);
    expect(selected(sidebar('/rings/7'))).toEqual(['/rings']);
    expect(selected(sidebar('/settings'))).toEqual(['/settings']);
  });
});
