import '@shopify/polaris/build/esm/styles.css';
import { AppProvider, FooterHelp, Frame, Link as PolarisLink, Loading, Text, TopBar } from '@shopify/polaris';
import { ChartLineIcon, ChartVerticalIcon, ChatIcon, ClipboardIcon, CodeIcon, CreditCardIcon, HomeIcon, ImportIcon, OrderIcon, ListBulletedIcon, NotificationIcon, ReceiptRefundIcon, SettingsIcon, TeamIcon } from '@shopify/polaris-icons';
import en from '@shopify/polaris/locales/en.json';
import { lazy, StrictMode, Suspense, useCallback, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link as RouterLink, Route, Routes, useLocation } from 'react-router-dom';
import type { LinkLikeComponentProps } from '@shopify/polaris/build/ts/src/utilities/link';
import { AppBridgeNavMenu, isEmbedded, type NavPage, SideNavigation } from './components/AppNavigation.tsx';
import { PluginBanner } from './components/PluginHealth.tsx';
import { useScrollRegions } from './components/scrollRegions.ts';
import { Alerts } from './pages/Alerts.tsx';
import { Analytics } from './pages/Analytics.tsx';
import { AuditLog } from './pages/AuditLog.tsx';
import { Backfill } from './pages/Backfill.tsx';
import { Chargebacks } from './pages/Chargebacks.tsx';
import { CustomerProfile } from './pages/CustomerProfile.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { DecisionDetail } from './pages/DecisionDetail.tsx';
import { Insights } from './pages/Insights.tsx';
import { Rings } from './pages/Rings.tsx';
import { Lists } from './pages/Lists.tsx';
import { RefundMethods } from './pages/RefundMethods.tsx';
import { Reasons } from './pages/Reasons.tsx';
import { ReviewQueue } from './pages/ReviewQueue.tsx';
import { Settings } from './pages/Settings.tsx';

/** The rule editor brings Monaco: loaded only when it is opened. */
const RulesEditor = lazy(() => import('./pages/RulesEditor.tsx').then((m) => ({ default: m.RulesEditor })));
/** A ring's network view brings cytoscape: loaded only when a ring is opened. */
const RingDetail = lazy(() => import('./pages/RingDetail.tsx').then((m) => ({ default: m.RingDetail })));

/** Polaris links go through the router (no full page loads inside the admin). */
function Link({ children, url = '', external, ...rest }: LinkLikeComponentProps) {
  if (external || /^https?:/.test(url)) return <a href={url} target="_blank" rel="noopener noreferrer" {...rest}>{children}</a>;
  return <RouterLink to={url} {...rest}>{children}</RouterLink>;
}

/**
 * The admin's top-level pages, in menu order; the first is the home page. Embedded in Shopify
 * admin they are App Bridge's navigation menu, outside it the Polaris sidebar
 * (src/components/AppNavigation.tsx). A page listed here has a title and no back arrow; a detail
 * page (a decision, a customer, a ring) is not listed and has a back action.
 */
const PAGES: NavPage[] = [
  { url: '/', label: 'Review queue', icon: HomeIcon },
  { url: '/decisions', label: 'Decisions', icon: OrderIcon, matchPaths: ['/customers'] },
  { url: '/backfill', label: 'Backfill', icon: ImportIcon },
  { url: '/insights', label: 'Insights', icon: ChartVerticalIcon },
  { url: '/analytics', label: 'Analytics', icon: ChartLineIcon },
  { url: '/chargebacks', label: 'Chargebacks', icon: CreditCardIcon },
  { url: '/rings', label: 'Fraud rings', icon: TeamIcon },
  { url: '/refund-methods', label: 'Refund methods', icon: ReceiptRefundIcon },
  { url: '/lists', label: 'Lists', icon: ListBulletedIcon },
  { url: '/alerts', label: 'Alerts', icon: NotificationIcon },
  { url: '/reasons', label: 'Return reasons', icon: ChatIcon },
  { url: '/audit', label: 'Audit log', icon: ClipboardIcon },
  { url: '/rules', label: 'Rules', icon: CodeIcon },
  { url: '/settings', label: 'Settings', icon: SettingsIcon },
];

/** The top bar's and the mobile drawer's logo, outside Shopify admin (web/public/logo.svg). */
const LOGO = { topBarSource: `${import.meta.env.BASE_URL}logo.svg`, width: 148, url: '/', accessibilityLabel: 'RefundSentry' };

function Shell() {
  const { pathname } = useLocation();
  const [mobileNavigation, setMobileNavigation] = useState(false);
  const closeNavigation = useCallback(() => setMobileNavigation(false), []);
  // A table that scrolls sideways and holds nothing focusable is reached by Tab (components/scrollRegions.ts).
  useScrollRegions();
  // Embedded, Shopify admin draws the navigation (from App Bridge's menu) and the title bar: the
  // frame holds only the page. Outside it, the top bar's menu button opens the sidebar below 768 px.
  const embedded = isEmbedded();
  const chrome = embedded
    ? {}
    : {
        logo: LOGO,
        topBar: <TopBar showNavigationToggle onNavigationToggle={() => setMobileNavigation((open) => !open)} />,
        navigation: <SideNavigation pages={PAGES} pathname={pathname} onNavigate={closeNavigation} />,
        showMobileNavigation: mobileNavigation,
        onNavigationDismiss: closeNavigation,
      };
  return (
    <Frame {...chrome}>
      {embedded ? <AppBridgeNavMenu pages={PAGES} /> : null}
      <PluginBanner />
      <Routes>
        <Route path="/" element={<ReviewQueue />} />
        <Route path="/decisions" element={<Dashboard />} />
        <Route path="/decisions/:id" element={<DecisionDetail />} />
        <Route path="/customers/:id" element={<CustomerProfile />} />
        <Route path="/backfill" element={<Backfill />} />
        <Route path="/insights" element={<Insights />} />
        <Route path="/chargebacks" element={<Chargebacks />} />
        <Route path="/analytics" element={<Analytics />} />
        <Route path="/rings" element={<Rings />} />
        <Route path="/rings/:id" element={<Suspense fallback={<Loading />}><RingDetail /></Suspense>} />
        <Route path="/lists" element={<Lists />} />
        <Route path="/alerts" element={<Alerts />} />
        <Route path="/refund-methods" element={<RefundMethods />} />
        <Route path="/reasons" element={<Reasons />} />
        <Route path="/audit" element={<AuditLog />} />
        <Route path="/settings" element={<Settings />} />
        <Route path="/rules" element={<Suspense fallback={<Loading />}><RulesEditor /></Suspense>} />
        <Route path="*" element={<ReviewQueue />} />
      </Routes>
      {/* The IP data the order signals use ask for this credit (server/normalize/README.md). */}
      <FooterHelp>
        <Text as="span" variant="bodySm" tone="subdued">
          <PolarisLink url="https://db-ip.com" external>IP Geolocation by DB-IP</PolarisLink> (CC BY 4.0); IP data by the NRO (nro.net) and RouteViews (routeviews.org).
        </Text>
      </FooterHelp>
    </Frame>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppProvider i18n={en} linkComponent={Link}>
      <BrowserRouter basename="/app">
        <Shell />
      </BrowserRouter>
    </AppProvider>
  </StrictMode>,
);
