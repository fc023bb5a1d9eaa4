import '@shopify/polaris/build/esm/styles.css';
import { AppProvider, Frame, Loading, Navigation } from '@shopify/polaris';
import { ChartVerticalIcon, ChatIcon, CodeIcon, HomeIcon, ImportIcon, SettingsIcon } from '@shopify/polaris-icons';
import en from '@shopify/polaris/locales/en.json';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Link as RouterLink, Route, Routes, useLocation } from 'react-router-dom';
import type { LinkLikeComponentProps } from '@shopify/polaris/build/ts/src/utilities/link';
import { PluginBanner } from './components/PluginHealth.tsx';
import { Backfill } from './pages/Backfill.tsx';
import { CustomerProfile } from './pages/CustomerProfile.tsx';
import { Dashboard } from './pages/Dashboard.tsx';
import { DecisionDetail } from './pages/DecisionDetail.tsx';
import { Insights } from './pages/Insights.tsx';
import { Reasons } from './pages/Reasons.tsx';
import { Settings } from './pages/Settings.tsx';

/** The rule editor brings Monaco: loaded only when it is opened. */
const RulesEditor = lazy(() => import('./pages/RulesEditor.tsx').then((m) => ({ default: m.RulesEditor })));

/** Polaris links go through the router (no full page loads inside the admin). */
function Link({ children, url = '', external, ...rest }: LinkLikeComponentProps) {
  if (external || /^https?:/.test(url)) return <a href={url} target="_blank" rel="noopener noreferrer" {...rest}>{children}</a>;
  return <RouterLink to={url} {...rest}>{children}</RouterLink>;
}

function Shell() {
  const { pathname } = useLocation();
  const navigation = (
    <Navigation location={pathname}>
      <Navigation.Section
        items={[
          { url: '/', label: 'Dashboard', icon: HomeIcon, exactMatch: true, selected: pathname === '/' || pathname.startsWith('/decisions') || pathname.startsWith('/customers') },
          { url: '/backfill', label: 'Backfill', icon: ImportIcon },
          { url: '/insights', label: 'Insights', icon: ChartVerticalIcon },
          { url: '/reasons', label: 'Return reasons', icon: ChatIcon },
          { url: '/rules', label: 'Rules', icon: CodeIcon },
          { url: '/settings', label: 'Settings', icon: SettingsIcon },
        ]}
      />
    </Navigation>
  );
  return (
    <Frame navigation={navigation}>
      <PluginBanner />
      <Routes>
        <Route path="/" element={<Dashboard />} />
        <Route path="/decisions/:id" element={<DecisionDetail />} />
        <Route path="/customers/:id" element={<CustomerProfile />} />
        <Route path="/backfill" element={<Backfill />} />
        <Route path="/insights" element={<Insights />} />
        <Route path="/reasons" element={<Reasons />} />
        <Route path="/settings" element={<Settings />} />
        <Route path="/rules" element={<Suspense fallback={<Loading />}><RulesEditor /></Suspense>} />
        <Route path="*" element={<Dashboard />} />
      </Routes>
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
