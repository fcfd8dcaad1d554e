import { Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes } from 'react-router';
import type { DeliveryRoute } from '../../api/types.ts';
import { useCountyName } from '../../components/CountySelect.tsx';
import { ExportButtons } from '../../components/ExportButtons.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { ActiveTag, formatDurationS, formatKm, WeekdayTags } from '../../components/format.tsx';
import RouteDetail from './RouteDetail.tsx';

function RouteList() {
  const { t, i18n } = useTranslation();
  const countyName = useCountyName();
  const columns: ColumnsType<DeliveryRoute> = [
    { title: t('common.code'), dataIndex: 'code', render: (c: string, r) => <Link to={`/routes/${encodeURIComponent(r.id)}`}>{c}</Link> },
    { title: t('common.name'), dataIndex: 'name', render: (n: string, r) => <Link to={`/routes/${encodeURIComponent(r.id)}`}>{n}</Link> },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string) => countyName(c) },
    { title: t('routes.outlet'), dataIndex: 'outletId' },
    { title: t('routes.stops'), key: 'stops', align: 'right', render: (_: unknown, r) => r.stops?.length ?? 0 },
    { title: t('routes.workingDays'), dataIndex: 'workingDays', render: (d: number[]) => <WeekdayTags days={d} /> },
    { title: t('routes.length'), dataIndex: 'lengthM', align: 'right', render: (m: number) => t('routes.km', { km: formatKm(m) }) },
    { title: t('routes.duration'), dataIndex: 'durationS', align: 'right', render: (s: number) => formatDurationS(s) },
    { title: t('routes.vehicleType'), dataIndex: 'vehicleType', render: (v: string) => (i18n.exists(`routes.vehicleTypes.${v}`) ? t(`routes.vehicleTypes.${v}`) : v) },
    { title: t('common.status'), dataIndex: 'active', render: (a: boolean) => <ActiveTag active={a} /> },
  ];
  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('routes.title')}
      </Typography.Title>
      <ListPage<DeliveryRoute>
        resource="routes"
        rowKey="id"
        columns={columns}
        filters={[
          { name: 'county', label: t('common.county'), kind: 'county' },
          { name: 'outlet', label: t('routes.outlet'), kind: 'text', width: 150 },
        ]}
        toolbar={(params) => <ExportButtons resource="routes" params={params} />}
      />
    </>
  );
}

export default function RoutesPage() {
  return (
    <Routes>
      <Route index element={<RouteList />} />
      <Route path=":id" element={<RouteDetail />} />
    </Routes>
  );
}
