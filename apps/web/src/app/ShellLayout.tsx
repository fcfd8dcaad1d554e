import { LogoutOutlined, MenuFoldOutlined, MenuUnfoldOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Grid, Layout, Menu, Result, Tag, Typography, type MenuProps } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useCounties } from '../api/hooks.ts';
import { currentLang } from '../i18n/index.ts';
import { LanguageSwitch } from './LanguageSwitch.tsx';
import { useAuth, useUser } from './auth.tsx';
import { PageFallback } from './PageFallback.tsx';
import { GROUP_ORDER, MODULES, modulesFor } from './modules.tsx';

const { Header, Sider, Content } = Layout;

export default function ShellLayout() {
  const { t, i18n } = useTranslation();
  void i18n.language;
  const user = useUser();
  const { logout } = useAuth();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const narrow = !screens.lg;
  const [collapsed, setCollapsed] = useState<boolean | undefined>(undefined);
  const isCollapsed = collapsed ?? narrow;
  const lang = currentLang();
  const modules = useMemo(() => modulesFor(user.role), [user.role]);
  const counties = useCounties(user.role !== 'admin' && Boolean(user.countyCode));
  const countyName = counties.data?.find((c) => c.code === user.countyCode)?.name ?? user.countyCode;

  const items: MenuProps['items'] = GROUP_ORDER.map((group) => ({
    type: 'group' as const,
    key: `g-${group}`,
    label: t(`groups.${group}`),
    children: modules
      .filter((m) => m.group === group && !m.hideInMenu)
      .map((m) => ({ key: m.key, icon: m.icon, label: <Link to={`/${m.path}`}>{m.label[lang]}</Link> })),
  })).filter((g) => g.children.length > 0);

  const first = location.pathname.split('/')[1] ?? '';
  const selected = modules.find((m) => m.path === first)?.key;

  const userMenu: MenuProps['items'] = [
    { key: 'role', disabled: true, label: `${t(`roles.${user.role}`)}${user.countyCode ? ` · ${countyName ?? ''}` : ''}` },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, label: t('app.logout'), onClick: () => { logout(); void navigate('/login'); } },
  ];

  const home = modules[0];

  return (
    <Layout className="shell">
      <Sider
        className="shell-sider"
        collapsible
        trigger={null}
        collapsed={isCollapsed}
        collapsedWidth={narrow ? 0 : 64}
        width={208}
        theme="light"
        breakpoint="lg"
      >
        <div className="shell-logo">
          <span className="shell-logo-mark">村</span>
          {!isCollapsed && <span className="shell-logo-text">{t('app.title')}</span>}
        </div>
        <Menu
          mode="inline"
          items={items}
          selectedKeys={selected ? [selected] : []}
          onClick={() => {
            if (narrow) setCollapsed(true);
          }}
          data-testid="side-menu"
        />
      </Sider>
      <Layout>
        <Header className="shell-header">
          <Button
            type="text"
            aria-label={isCollapsed ? t('app.expand') : t('app.collapse')}
            icon={isCollapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!isCollapsed)}
          />
          <Typography.Text strong className="shell-title">
            {t('app.subtitle')}
          </Typography.Text>
          <Tag color={user.role === 'admin' ? 'blue' : 'green'} data-testid="scope-tag" className="shell-scope">
            {user.countyCode ? t('app.scopeCounty', { county: countyName }) : t('app.scopeAll')}
          </Tag>
          <div className="shell-header-right">
            <LanguageSwitch />
            <Dropdown menu={{ items: userMenu }} trigger={['click']}>
              <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
                {!narrow && user.displayName}
              </Button>
            </Dropdown>
          </div>
        </Header>
        <Content className="shell-content">
          <Suspense fallback={<PageFallback />}>
            <Routes>
              <Route index element={home ? <Navigate to={`/${home.path}`} replace /> : <Result status="info" title={t('app.noModules')} />} />
              {modules.map((m) => (
                <Route key={m.key} path={`${m.path}/*`} element={<m.component />} />
              ))}
              {MODULES.filter((m) => !modules.includes(m)).map((m) => (
                <Route key={m.key} path={`${m.path}/*`} element={<Result status="403" title={t('app.forbidden')} />} />
              ))}
              <Route
                path="*"
                element={
                  <Result
                    status="404"
                    title={t('app.notFound')}
                    extra={
                      <Link to="/">
                        <Button type="primary">{t('app.home')}</Button>
                      </Link>
                    }
                  />
                }
              />
            </Routes>
          </Suspense>
        </Content>
      </Layout>
    </Layout>
  );
}
