import {
  ApartmentOutlined,
  ApiOutlined,
  AccountBookOutlined,
  WalletOutlined,
  ExportOutlined,
  GiftOutlined,
  BranchesOutlined,
  CalendarOutlined,
  DashboardOutlined,
  EnvironmentOutlined,
  HomeOutlined,
  InboxOutlined,
  NodeIndexOutlined,
  ShopOutlined,
  SendOutlined,
  SolutionOutlined,
  TeamOutlined,
  TruckOutlined,
} from '@ant-design/icons';
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import type { Role } from '../api/types.ts';

/**
 * THE plug-in point of the console. A page module declares here its route, its menu entry and the
 * roles that see it; the shell (layout, menu, router, guard) is built from this list only.
 * Later issues (parcels, stations, planning, outbound, newspapers, services) add one entry each
 * and a folder src/routes/<resource>/. See docs/console.md.
 */
export type MenuGroup = 'overview' | 'operations' | 'network' | 'system';

export interface ConsoleModule {
  /** Stable key, also the menu key. */
  key: string;
  /** Route path without the leading slash; the module also owns every sub-path (`${path}/*`). */
  path: string;
  group: MenuGroup;
  icon: ReactNode;
  label: { 'zh-CN': string; en: string };
  /** Roles that see the menu entry and may open the route. */
  roles: readonly Role[];
  /** The page's chunk loader; `component` is React.lazy of it. Write both with `page(() => import(…))`. */
  load: () => Promise<{ default: ComponentType }>;
  /** Lazy page component (code-split per module). */
  component: LazyExoticComponent<ComponentType>;
  /** Hidden modules are routable but not in the menu. */
  hideInMenu?: boolean;
}

/** A lazily loaded page: the loader (for preloading) and the React.lazy component. */
export function page(load: () => Promise<{ default: ComponentType }>): Pick<ConsoleModule, 'load' | 'component'> {
  return { load, component: lazy(load) };
}

const MANAGERS = ['admin', 'county_manager'] as const satisfies readonly Role[];
const OFFICE = ['admin', 'county_manager', 'outlet_clerk'] as const satisfies readonly Role[];

export const MODULES: readonly ConsoleModule[] = [
  {
    key: 'dashboard',
    path: 'dashboard',
    group: 'overview',
    icon: <DashboardOutlined />,
    label: { 'zh-CN': '运营总览', en: 'Dashboard' },
    roles: OFFICE,
    ...page(() => import('../routes/dashboard/DashboardPage.tsx')),
  },
  {
    key: 'map',
    path: 'map',
    group: 'overview',
    icon: <EnvironmentOutlined />,
    label: { 'zh-CN': '网络地图', en: 'Network map' },
    roles: OFFICE,
    ...page(() => import('../routes/map/MapPage.tsx')),
  },
  {
    key: 'parcels',
    path: 'parcels',
    group: 'operations',
    icon: <InboxOutlined />,
    label: { 'zh-CN': '包裹', en: 'Parcels' },
    roles: OFFICE,
    ...page(() => import('../routes/parcels/ParcelsPage.tsx')),
  },
  {
    key: 'stations',
    path: 'stations',
    group: 'operations',
    icon: <GiftOutlined />,
    label: { 'zh-CN': '村邮站', en: 'Stations' },
    roles: ['admin', 'county_manager', 'outlet_clerk', 'station_keeper'],
    ...page(() => import('../routes/stations/StationsPage.tsx')),
  },
  {
    key: 'planning',
    path: 'planning',
    group: 'operations',
    icon: <CalendarOutlined />,
    label: { 'zh-CN': '周计划', en: 'Weekly plans' },
    roles: MANAGERS,
    ...page(() => import('../routes/planning/PlanningPage.tsx')),
  },
  {
    key: 'dispatch',
    path: 'dispatch',
    group: 'operations',
    icon: <SendOutlined />,
    label: { 'zh-CN': '每日派件', en: 'Daily dispatch' },
    roles: OFFICE,
    ...page(() => import('../routes/planning/DayDispatch.tsx')),
  },
  {
    key: 'outbound',
    path: 'outbound',
    group: 'operations',
    icon: <ExportOutlined />,
    label: { 'zh-CN': '黔货出山', en: 'Outbound' },
    roles: OFFICE,
    ...page(() => import('../routes/outbound/OutboundPage.tsx')),
  },
  {
    key: 'settlement',
    path: 'settlement',
    group: 'operations',
    icon: <AccountBookOutlined />,
    label: { 'zh-CN': '结算与争议', en: 'Settlement' },
    roles: MANAGERS,
    ...page(() => import('../routes/settlement/SettlementPage.tsx')),
  },
  {
    key: 'commissions',
    path: 'commissions',
    group: 'operations',
    icon: <WalletOutlined />,
    label: { 'zh-CN': '站点佣金', en: 'Station commissions' },
    roles: ['admin', 'county_manager', 'station_keeper'],
    ...page(() => import('../routes/commissions/CommissionsPage.tsx')),
  },
  {
    key: 'divisions',
    path: 'divisions',
    group: 'network',
    icon: <ApartmentOutlined />,
    label: { 'zh-CN': '行政区划', en: 'Divisions' },
    roles: OFFICE,
    ...page(() => import('../routes/divisions/DivisionsPage.tsx')),
  },
  {
    key: 'villages',
    path: 'villages',
    group: 'network',
    icon: <HomeOutlined />,
    label: { 'zh-CN': '行政村', en: 'Villages' },
    roles: MANAGERS,
    ...page(() => import('../routes/villages/VillagesPage.tsx')),
  },
  {
    key: 'outlets',
    path: 'outlets',
    group: 'network',
    icon: <ShopOutlined />,
    label: { 'zh-CN': '网点', en: 'Outlets' },
    roles: MANAGERS,
    ...page(() => import('../routes/outlets/OutletsPage.tsx')),
  },
  {
    key: 'partners',
    path: 'partners',
    group: 'network',
    icon: <SolutionOutlined />,
    label: { 'zh-CN': '合作企业与协议', en: 'Partners & agreements' },
    roles: MANAGERS,
    ...page(() => import('../routes/partners/PartnersPage.tsx')),
  },
  {
    key: 'routes',
    path: 'routes',
    group: 'network',
    icon: <NodeIndexOutlined />,
    label: { 'zh-CN': '投递段', en: 'Delivery routes' },
    roles: MANAGERS,
    ...page(() => import('../routes/routes/RoutesPage.tsx')),
  },
  {
    key: 'bus-lines',
    path: 'bus-lines',
    group: 'network',
    icon: <BranchesOutlined />,
    label: { 'zh-CN': '客运班线', en: 'Bus lines' },
    roles: MANAGERS,
    ...page(() => import('../routes/bus-lines/BusLinesPage.tsx')),
  },
  {
    key: 'carriers',
    path: 'carriers',
    group: 'network',
    icon: <TruckOutlined />,
    label: { 'zh-CN': '投递员与车辆', en: 'Carriers & vehicles' },
    roles: MANAGERS,
    ...page(() => import('../routes/carriers/CarriersPage.tsx')),
  },
  {
    key: 'users',
    path: 'users',
    group: 'system',
    icon: <TeamOutlined />,
    label: { 'zh-CN': '用户', en: 'Users' },
    roles: MANAGERS,
    ...page(() => import('../routes/users/UsersPage.tsx')),
  },
  {
    key: 'webhooks',
    path: 'webhooks',
    group: 'system',
    icon: <ApiOutlined />,
    label: { 'zh-CN': '推送与状态映射', en: 'Webhooks' },
    roles: ['admin'],
    ...page(() => import('../routes/webhooks/WebhooksPage.tsx')),
  },
];

export const GROUP_ORDER: readonly MenuGroup[] = ['overview', 'operations', 'network', 'system'];

export function modulesFor(role: Role): ConsoleModule[] {
  return MODULES.filter((m) => m.roles.includes(role));
}

/** Starts loading the chunk of the page at `pathname` (called at start-up, in parallel with /auth/me). */
export function preloadPage(pathname: string): void {
  const first = pathname.split('/')[1] || MODULES[0]?.path;
  const mod = MODULES.find((m) => m.path === first);
  if (mod) void mod.load().catch(() => undefined);
}
