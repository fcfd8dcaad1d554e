import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCNLocale from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { ApiError, getToken } from '../api/client.ts';
import { defaultKpiPeriod, kpiQuery } from '../api/hooks.ts';
import { preloadPage } from './modules.tsx';
import { currentLang } from '../i18n/index.ts';
import LoginPage from './LoginPage.tsx';
import { AuthProvider, rememberedRole, useAuth } from './auth.tsx';
import { PageFallback } from './PageFallback.tsx';
import ShellLayout from './ShellLayout.tsx';

// Public tracking (no login): its own chunk, so the login page does not carry it.
const TrackPage = lazy(() => import('../routes/track/TrackPage.tsx'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});

// With a session, fetch the current page's chunk (and the dashboard's figures) while /auth/me is in flight.
if (getToken() && !window.location.pathname.startsWith('/login') && !window.location.pathname.startsWith('/track')) {
  const path = window.location.pathname;
  preloadPage(path);
  const role = rememberedRole();
  const office = role === null || role === 'admin' || role === 'county_manager' || role === 'outlet_clerk';
  if (office && (path === '/' || path.startsWith('/dashboard'))) void queryClient.prefetchQuery(kpiQuery(defaultKpiPeriod()));
}

/** Route guard: no token → login page (with ?next=); token → wait for /auth/me. */
function RequireAuth() {
  const { token, user, loading } = useAuth();
  const location = useLocation();
  if (!token) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (loading || !user) return <PageFallback />;
  return <ShellLayout />;
}

function Localized() {
  const { i18n } = useTranslation();
  const lang = currentLang();
  useEffect(() => {
    dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
    document.documentElement.lang = lang;
  }, [lang, i18n.language]);
  return (
    <ConfigProvider locale={lang === 'en' ? enUS : zhCNLocale} theme={{ zeroRuntime: true, token: { colorPrimary: '#0b7a3e', borderRadius: 4 }, components: { Menu: { itemSelectedBg: '#e3f2e8', itemSelectedColor: '#0b7a3e' } } }}>
      <AntApp>
        <BrowserRouter>
          <AuthProvider>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              <Route path="/track/:waybillNo?" element={<Suspense fallback={<PageFallback />}><TrackPage /></Suspense>} />
              <Route path="/*" element={<RequireAuth />} />
            </Routes>
          </AuthProvider>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Localized />
    </QueryClientProvider>
  );
}
