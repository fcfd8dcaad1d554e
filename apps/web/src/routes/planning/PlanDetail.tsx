import { ArrowLeftOutlined, CheckCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Popconfirm, Row, Segmented, Select, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useList, useVillages } from '../../api/hooks.ts';
import type { Outlet } from '../../api/types.ts';
import {
  useAcceptPlan,
  usePlan,
  usePlanGeoJson,
  type PlanBusLoad,
  type PlanBusService,
  type PlanChange,
  type PlanDayRoute,
  type PlanFrequency,
  type PlanSuggestion,
} from '../../api/planning.ts';
import { PageFallback } from '../../app/PageFallback.tsx';
import { useCountyName } from '../../components/CountySelect.tsx';
import { Fen, fenToYuan, formatDurationS, formatKm, WeekdayTags } from '../../components/format.tsx';
import { useTileUrl } from '../../map/tiles.ts';
import { DispatchPanel } from './DispatchPanel.tsx';
import { Percent, PlanStatusTag } from './PlanningPage.tsx';

const PlanMap = lazy(() => import('../../map/PlanMap.tsx'));

function ChangeCard({ title, change, format, testId }: { title: string; change: PlanChange; format: (n: number) => string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Card size="small" data-testid={testId}>
      <Statistic title={title} value={format(change.after)} suffix={<Percent value={change.percent} />} />
      <Typography.Text type="secondary">{t('planning.before', { value: format(change.before) })}</Typography.Text>
    </Card>
  );
}

export default function PlanDetail() {
  const { t } = useTranslation();
  const { id } = useParams();
  const plan = usePlan(id);
  const p = plan.data;
  const accept = useAcceptPlan();
  const countyName = useCountyName();
  const tiles = useTileUrl();
  const villages = useVillages({ county: p?.countyCode ?? undefined, limit: 1000 }, Boolean(p));
  const byCode = useMemo(() => new Map((villages.data?.items ?? []).map((v) => [v.code, v])), [villages.data]);
  const villageName = (code: string) => byCode.get(code)?.name ?? code;
  const outlets = useList<Outlet>('outlets', { county: p?.countyCode ?? undefined, limit: 1000 }, Boolean(p));
  const outletById = useMemo(() => new Map((outlets.data?.items ?? []).map((o) => [o.id, o.name])), [outlets.data]);
  const outletName = (id: string) => outletById.get(id) ?? id;

  const planDays = useMemo(() => (p?.days ?? []).filter((d) => d.routes.length > 0).map((d) => d.day), [p]);
  const [chosenDay, setChosenDay] = useState<number | undefined>(undefined);
  const day = chosenDay ?? planDays[0] ?? 1;
  const [mapAll, setMapAll] = useState(false);
  const geo = usePlanGeoJson(id, mapAll ? undefined : day);
  const [metFilter, setMetFilter] = useState<'all' | 'met' | 'unmet' | 'bus'>('all');

  const dayRoutes = useMemo(() => p?.days.find((d) => d.day === day)?.routes ?? [], [p, day]);
  const frequency = useMemo(
    () =>
      (p?.frequency ?? []).filter((f) =>
        metFilter === 'met' ? f.met : metFilter === 'unmet' ? !f.met : metFilter === 'bus' ? f.busDays.length > 0 : true,
      ),
    [p, metFilter],
  );

  const hours = (s: number) => (s / 3600).toFixed(1);
  const yuan = (fen: number) => fenToYuan(Math.round(fen));

  const routeColumns: ColumnsType<PlanDayRoute> = [
    { title: t('planning.vehicle'), dataIndex: 'vehicleCode', render: (c: string, r) => (r.trip > 1 ? `${c} · ${t('planning.tripN', { n: r.trip })}` : c) },
    { title: t('planning.depot'), dataIndex: 'depotId', render: (id: string) => outletName(id) },
    { title: t('planning.stops'), key: 'stops', align: 'right', render: (_: unknown, r) => r.stops.length },
    { title: t('planning.km'), dataIndex: 'distanceM', align: 'right', render: (m: number) => formatKm(m) },
    { title: t('planning.duration'), dataIndex: 'durationS', align: 'right', render: (s: number) => formatDurationS(s) },
    { title: t('planning.loadKg'), dataIndex: 'loadKg', align: 'right', render: (kg: number) => kg.toFixed(1) },
    { title: t('planning.cost'), dataIndex: 'costFen', align: 'right', render: (f: number) => <Fen value={f} /> },
    { title: t('planning.overLimit'), dataIndex: 'overLimit', render: (o: boolean) => (o ? <Tag color="red">{t('common.yes')}</Tag> : '') },
  ];
  const freqColumns: ColumnsType<PlanFrequency> = [
    { title: t('planning.village'), dataIndex: 'villageCode', render: (c: string) => (<>{villageName(c)} <Typography.Text type="secondary">{c}</Typography.Text></>) },
    { title: t('planning.rule'), key: 'rule', render: (_: unknown, f) => (<>{t('planning.minVisits', { n: f.minVisitsPerWeek })} <WeekdayTags days={f.allowedDays} /></>) },
    { title: t('planning.carrierDays'), dataIndex: 'carrierDays', render: (d: number[]) => <WeekdayTags days={d} /> },
    { title: t('planning.busDays'), dataIndex: 'busDays', render: (d: number[]) => <WeekdayTags days={d} /> },
    { title: t('planning.visits'), dataIndex: 'visitsPerWeek', align: 'right' },
    {
      title: t('planning.met'),
      dataIndex: 'met',
      render: (m: boolean) => (m ? <Tag color="green">{t('planning.metYes')}</Tag> : <Tag color="red">{t('planning.metNo')}</Tag>),
    },
    { title: t('planning.reason'), key: 'reason', render: (_: unknown, f) => [f.reason, f.busNote].filter(Boolean).join('；') },
  ];
  const busColumns: ColumnsType<PlanBusService> = [
    { title: t('planning.village'), dataIndex: 'villageCode', render: (c: string) => villageName(c) },
    { title: t('planning.busLine'), dataIndex: 'lineCode' },
    { title: t('planning.days'), dataIndex: 'days', render: (d: number[]) => <WeekdayTags days={d} /> },
    { title: t('planning.arrival'), dataIndex: 'arrival' },
    { title: t('planning.parcelsPerVisit'), dataIndex: 'parcelsPerVisit', align: 'right', render: (n: number) => n.toFixed(1) },
    { title: t('planning.weeklyFee'), dataIndex: 'weeklyFeeFen', align: 'right', render: (f: number) => <Fen value={f} /> },
    { title: t('planning.carrierSaved'), dataIndex: 'carrierCostSavedFen', align: 'right', render: (f: number) => <Fen value={f} /> },
    { title: t('planning.reason'), dataIndex: 'reason' },
  ];
  const loadColumns: ColumnsType<PlanBusLoad> = [
    { title: t('planning.busLine'), dataIndex: 'lineCode' },
    { title: t('planning.day'), dataIndex: 'day', render: (d: number) => t(`common.weekday.${d}`) },
    { title: t('planning.parcels'), key: 'load', align: 'right', render: (_: unknown, l) => `${l.parcels} / ${l.capacityParcels}` },
    { title: t('planning.villagesCol'), dataIndex: 'villages', render: (v: string[]) => v.map(villageName).join('、') },
  ];
  const suggestionColumns: ColumnsType<PlanSuggestion> = [
    { title: t('planning.village'), dataIndex: 'villageCode', render: (c: string) => villageName(c) },
    { title: t('planning.fromDepot'), dataIndex: 'fromDepotId', render: (id: string) => outletName(id) },
    { title: t('planning.toDepot'), dataIndex: 'toDepotId', render: (id: string) => outletName(id) },
    { title: t('planning.saving'), dataIndex: 'estimatedSavingFen', align: 'right', render: (f: number) => <Fen value={f} /> },
    { title: t('planning.reason'), dataIndex: 'reason' },
  ];

  const acceptError = accept.error instanceof ApiError ? accept.error : undefined;
  const dayOptions = [1, 2, 3, 4, 5, 6, 7].map((d) => ({ value: d, label: t(`common.weekdayShort.${d}`), disabled: !planDays.includes(d) }));

  return (
    <>
      <div className="toolbar">
        <Link to="/planning">
          <Button icon={<ArrowLeftOutlined />}>{t('planning.back')}</Button>
        </Link>
        <Typography.Title level={4} style={{ margin: 0 }} data-testid="plan-title">
          {p ? `${p.countyCode ? countyName(p.countyCode) : t('planning.region')} · ${new Date(p.createdAt).toLocaleString()}` : t('planning.title')}
        </Typography.Title>
        {p && <PlanStatusTag status={p.status} />}
        <div className="toolbar-right">
          {p?.status === 'draft' && (
            <Popconfirm
              title={t('planning.acceptConfirmTitle')}
              description={t('planning.acceptConfirm')}
              okText={t('planning.accept')}
              cancelText={t('common.cancel')}
              onConfirm={() => accept.mutate(p.id)}
              okButtonProps={{ 'data-testid': 'plan-accept-ok' } as Record<string, string>}
            >
              <Button type="primary" icon={<CheckCircleOutlined />} loading={accept.isPending} data-testid="plan-accept">
                {t('planning.accept')}
              </Button>
            </Popconfirm>
          )}
        </div>
      </div>
      {plan.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: plan.error.message })} />}
      {accept.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="plan-accept-error"
          title={acceptError?.status === 409 ? t('planning.acceptConflict') : t('planning.acceptFailed')}
          description={accept.error.message}
        />
      )}
      {accept.isSuccess && (
        <Alert type="success" showIcon style={{ marginBottom: 12 }} data-testid="plan-accepted" title={t('planning.accepted', { count: accept.data.routesWritten ?? 0 })} />
      )}
      {!p && !plan.isError && <PageFallback />}
      {p && (
        <>
          {p.warnings.map((w) => (
            <Alert key={w} type="warning" showIcon style={{ marginBottom: 8 }} title={w} />
          ))}
          <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
            <Col xs={12} md={6}>
              <ChangeCard testId="plan-km" title={t('planning.kmWeek')} change={p.comparison.distanceM} format={(m) => formatKm(m)} />
            </Col>
            <Col xs={12} md={6}>
              <ChangeCard testId="plan-hours" title={t('planning.hoursWeek')} change={p.comparison.durationS} format={hours} />
            </Col>
            <Col xs={12} md={6}>
              <ChangeCard testId="plan-cost" title={t('planning.costWeekYuan')} change={p.comparison.costFen} format={yuan} />
            </Col>
            <Col xs={12} md={6}>
              <ChangeCard testId="plan-trips" title={t('planning.trips')} change={p.comparison.trips} format={(n) => String(Math.round(n))} />
            </Col>
          </Row>
          <Card size="small" style={{ marginBottom: 12 }}>
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }}>
              <Descriptions.Item label={t('planning.villagesMet')}>
                <span data-testid="plan-villages-met">{`${p.villagesMet} / ${p.villages}`}</span>
              </Descriptions.Item>
              <Descriptions.Item label={t('planning.busVillages')}>{p.busVillages}</Descriptions.Item>
              <Descriptions.Item label={t('planning.carrierCost')}>
                <Fen value={p.totals.carrierCostFen} />
              </Descriptions.Item>
              <Descriptions.Item label={t('planning.busFees')}>
                <Fen value={p.totals.busFeeFen} />
              </Descriptions.Item>
              <Descriptions.Item label={t('planning.distanceModel')}>{p.distanceModel}</Descriptions.Item>
              <Descriptions.Item label={t('planning.elapsed')}>{`${(p.elapsedMs / 1000).toFixed(1)} s`}</Descriptions.Item>
              <Descriptions.Item label={t('planning.createdBy')}>{p.createdBy ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('planning.acceptedAt')}>{p.acceptedAt ? `${new Date(p.acceptedAt).toLocaleString()} · ${p.acceptedBy ?? ''}` : '—'}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card size="small">
            <Tabs
              items={[
                {
                  key: 'map',
                  label: t('planning.tabMap'),
                  children: (
                    <>
                      <div className="toolbar">
                        <Segmented<number>
                          data-testid="plan-day-picker"
                          value={day}
                          options={dayOptions}
                          onChange={(d) => {
                            setChosenDay(d);
                            setMapAll(false);
                          }}
                        />
                        <Button type={mapAll ? 'primary' : 'default'} onClick={() => setMapAll((a) => !a)} data-testid="plan-map-all">
                          {t('planning.wholeWeek')}
                        </Button>
                        <Typography.Text type="secondary">
                          {mapAll
                            ? t('planning.wholeWeek')
                            : t('planning.dayTotals', {
                                day: t(`common.weekday.${day}`),
                                routes: dayRoutes.length,
                                km: formatKm(p.days.find((d) => d.day === day)?.distanceM ?? 0),
                              })}
                        </Typography.Text>
                      </div>
                      <div className="map-box">
                        {tiles.ready && geo.data ? (
                          <Suspense fallback={<PageFallback />}>
                            <PlanMap data={geo.data} tileUrl={tiles.tileUrl} tileAttribution={tiles.attribution} />
                          </Suspense>
                        ) : (
                          <PageFallback />
                        )}
                      </div>
                    </>
                  ),
                },
                {
                  key: 'routes',
                  label: t('planning.tabRoutes'),
                  children: (
                    <>
                      <div className="toolbar">
                        <Segmented<number> value={day} options={dayOptions} onChange={(d) => setChosenDay(d)} />
                      </div>
                      <Table<PlanDayRoute>
                        data-testid="plan-routes"
                        size="small"
                        rowKey={(r) => `${r.vehicleId}-${r.trip}`}
                        columns={routeColumns}
                        dataSource={dayRoutes}
                        pagination={false}
                        scroll={{ x: 'max-content' }}
                        expandable={{
                          expandedRowRender: (r) => (
                            <ol style={{ margin: 0 }}>
                              {r.stops.map((s, i) => (
                                <li key={`${s.villageCode}-${i}`}>
                                  {s.arrival} {villageName(s.villageCode)} · {t('planning.parcelsN', { n: s.parcels.toFixed(1) })} · {formatKm(s.legM)} km
                                </li>
                              ))}
                            </ol>
                          ),
                        }}
                      />
                    </>
                  ),
                },
                {
                  key: 'frequency',
                  label: t('planning.tabFrequency'),
                  children: (
                    <>
                      <div className="toolbar">
                        <Select<'all' | 'met' | 'unmet' | 'bus'>
                          value={metFilter}
                          onChange={setMetFilter}
                          style={{ width: 180 }}
                          data-testid="plan-frequency-filter"
                          options={[
                            { value: 'all', label: t('common.all') },
                            { value: 'met', label: t('planning.metYes') },
                            { value: 'unmet', label: t('planning.metNo') },
                            { value: 'bus', label: t('planning.byBus') },
                          ]}
                        />
                        <Typography.Text type="secondary">{t('common.total', { count: frequency.length })}</Typography.Text>
                      </div>
                      <Table<PlanFrequency> data-testid="plan-frequency" size="small" rowKey="villageCode" columns={freqColumns} dataSource={frequency} scroll={{ x: 'max-content' }} pagination={{ pageSize: 50, showSizeChanger: true }} />
                    </>
                  ),
                },
                {
                  key: 'bus',
                  label: t('planning.tabBus', { count: p.bus.length }),
                  children: (
                    <>
                      <Table<PlanBusService> data-testid="plan-bus" size="small" rowKey={(b) => `${b.villageCode}-${b.tripId}`} columns={busColumns} dataSource={p.bus} scroll={{ x: 'max-content' }} pagination={{ pageSize: 50 }} />
                      <Typography.Title level={5}>{t('planning.busLoads')}</Typography.Title>
                      <Table<PlanBusLoad> size="small" rowKey={(l) => `${l.tripId}-${l.day}`} columns={loadColumns} dataSource={p.busLoads} scroll={{ x: 'max-content' }} pagination={{ pageSize: 50 }} />
                    </>
                  ),
                },
                {
                  key: 'dispatch',
                  label: t('planning.tabDispatch'),
                  children: <DispatchPanel plan={p} outletName={outletName} villageName={villageName} />,
                },
                {
                  key: 'suggestions',
                  label: t('planning.tabSuggestions', { count: p.suggestions.length }),
                  children: <Table<PlanSuggestion> size="small" rowKey={(s) => `${s.villageCode}-${s.toDepotId}`} columns={suggestionColumns} dataSource={p.suggestions} scroll={{ x: 'max-content' }} pagination={{ pageSize: 50 }} />,
                },
              ]}
            />
          </Card>
        </>
      )}
    </>
  );
}
