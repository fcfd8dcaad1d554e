import { ArrowLeftOutlined, CheckOutlined, EditOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Row, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useItem, useRoute, useVillages } from '../../api/hooks.ts';
import type { Outlet, RouteStop } from '../../api/types.ts';
import { PageFallback } from '../../app/PageFallback.tsx';
import { useCountyName } from '../../components/CountySelect.tsx';
import { ActiveTag, formatDurationS, formatKm, WeekdayTags } from '../../components/format.tsx';
import { useTileUrl } from '../../map/tiles.ts';
import { RouteStopsEditor } from './RouteStopsEditor.tsx';

const RouteMap = lazy(() => import('../../map/RouteMap.tsx'));
const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export default function RouteDetail() {
  const { t, i18n } = useTranslation();
  const { id } = useParams();
  const route = useRoute(id);
  const r = route.data;
  const villages = useVillages({ county: r?.countyCode }, Boolean(r));
  const outlet = useItem<Outlet>('outlets', r?.outletId);
  const countyName = useCountyName();
  const tiles = useTileUrl();
  const [editing, setEditing] = useState(false);

  const byCode = useMemo(() => new Map((villages.data?.items ?? []).map((v) => [v.code, v])), [villages.data]);
  const stops = useMemo(() => [...(r?.stops ?? [])].sort((a, b) => a.seq - b.seq), [r]);
  const villageName = (code: string) => byCode.get(code)?.name ?? code;

  const stopColumns: ColumnsType<RouteStop> = [
    { title: t('routes.seq'), dataIndex: 'seq', width: 60 },
    { title: t('routes.village'), dataIndex: 'villageCode', render: (c: string) => (<>{villageName(c)} <Typography.Text type="secondary">{c}</Typography.Text></>) },
    { title: t('routes.visitsPerWeek'), key: 'n', align: 'right', render: (_: unknown, s) => s.days.length },
  ];
  const gridColumns: ColumnsType<RouteStop> = [
    { title: t('routes.village'), dataIndex: 'villageCode', fixed: 'left', render: (c: string) => villageName(c) },
    ...DAYS.map((d) => ({
      title: t(`common.weekdayShort.${d}`),
      key: String(d),
      width: 52,
      align: 'center' as const,
      onCell: (s: RouteStop) => ({ className: s.days.includes(d) ? 'on' : 'off' }),
      render: (_: unknown, s: RouteStop) => (s.days.includes(d) ? <CheckOutlined style={{ color: '#0b7a3e' }} /> : '·'),
    })),
  ];

  const mapStops = stops.flatMap((s) => {
    const v = byCode.get(s.villageCode);
    return v ? [{ seq: s.seq, name: v.shortName || v.name, lon: v.lon, lat: v.lat }] : [];
  });
  const o = outlet.data;
  const start = o && typeof o.lon === 'number' ? { seq: 0, name: o.name, lon: o.lon, lat: o.lat } : undefined;

  return (
    <>
      <div className="toolbar">
        <Link to="/routes">
          <Button icon={<ArrowLeftOutlined />}>{t('routes.back')}</Button>
        </Link>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {r ? `${r.name}（${r.code}）` : t('routes.title')}
        </Typography.Title>
      </div>
      {route.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: route.error.message })} />}
      {r && (
        <Row gutter={[12, 12]}>
          <Col xs={24} xl={12}>
            <Card size="small">
              <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
                <Descriptions.Item label={t('common.county')}>{countyName(r.countyCode)}</Descriptions.Item>
                <Descriptions.Item label={t('routes.outlet')}>{o?.name ?? r.outletId}</Descriptions.Item>
                <Descriptions.Item label={t('routes.vehicleType')}>{i18n.exists(`routes.vehicleTypes.${r.vehicleType}`) ? t(`routes.vehicleTypes.${r.vehicleType}`) : r.vehicleType}</Descriptions.Item>
                <Descriptions.Item label={t('routes.capacityKg')}>{r.capacityKg}</Descriptions.Item>
                <Descriptions.Item label={t('routes.length')}>{t('routes.km', { km: formatKm(r.lengthM) })}</Descriptions.Item>
                <Descriptions.Item label={t('routes.duration')}>{formatDurationS(r.durationS)}</Descriptions.Item>
                <Descriptions.Item label={t('routes.maxDuration')}>{formatDurationS(r.maxDurationS)}</Descriptions.Item>
                <Descriptions.Item label={t('routes.carriers')}>{(r.carrierIds ?? []).join(', ') || '—'}</Descriptions.Item>
                <Descriptions.Item label={t('routes.workingDays')}>
                  <WeekdayTags days={r.workingDays} />
                </Descriptions.Item>
                <Descriptions.Item label={t('common.status')}>
                  <ActiveTag active={r.active} />
                </Descriptions.Item>
              </Descriptions>
            </Card>
            <Card size="small" title={t('routes.stops')} style={{ marginTop: 12 }}>
              <Table<RouteStop> size="small" rowKey="seq" columns={stopColumns} dataSource={stops} pagination={false} />
            </Card>
          </Col>
          <Col xs={24} xl={12}>
            <Card size="small" title={t('map.routeMap')}>
              <div className="map-box small">
                {mapStops.length > 0 && tiles.ready ? (
                  <Suspense fallback={<PageFallback />}>
                    <RouteMap stops={mapStops} start={start} tileUrl={tiles.tileUrl} />
                  </Suspense>
                ) : (
                  <PageFallback />
                )}
              </div>
            </Card>
            <Card
              size="small"
              title={t('routes.schedule')}
              style={{ marginTop: 12 }}
              extra={
                !editing && (
                  <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="route-edit">
                    {t('routes.editStops')}
                  </Button>
                )
              }
            >
              {editing ? (
                <RouteStopsEditor route={r} villages={villages.data?.items ?? []} onDone={() => setEditing(false)} />
              ) : (
                <Table<RouteStop> className="schedule-grid" data-testid="schedule-grid" size="small" rowKey="seq" columns={gridColumns} dataSource={stops} pagination={false} scroll={{ x: 'max-content' }} />
              )}
            </Card>
          </Col>
        </Row>
      )}
    </>
  );
}
