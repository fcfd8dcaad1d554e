import { Alert, Button, Card, Col, Descriptions, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePlanDispatch, type PlanDetail, type PlanDispatch } from '../../api/planning.ts';

type Run = PlanDispatch['runs'][number];

/** Dispatch preview of a plan (read-only): parcels waiting at an outlet → runs per stop and bus bags of a weekday. */
export function DispatchPanel({ plan, outletName, villageName }: { plan: PlanDetail; outletName: (id: string) => string; villageName: (code: string) => string }) {
  const { t } = useTranslation();
  const depots = [...new Set(plan.days.flatMap((d) => d.routes.map((r) => r.depotId)))].sort();
  const days = plan.days.filter((d) => d.routes.length > 0).map((d) => d.day);
  const [q, setQ] = useState<{ outlet: string; day: number; now?: string } | undefined>(undefined);
  const dispatch = usePlanDispatch(plan.id, q);
  const d = dispatch.data;
  const refs = (ps: { waybillNo: string }[]) => ps.map((x) => x.waybillNo).join('、');

  return (
    <>
      <Form
        layout="inline"
        className="filters"
        initialValues={{ outlet: depots[0], day: days[0] }}
        onFinish={(v: { outlet: string; day: number; now?: string }) => setQ({ outlet: v.outlet, day: v.day, ...(v.now?.trim() ? { now: v.now.trim() } : {}) })}
        data-testid="dispatch-form"
      >
        <Form.Item name="outlet" label={t('planning.depot')} rules={[{ required: true }]}>
          <Select style={{ width: 240 }} showSearch={{ optionFilterProp: 'label' }} options={depots.map((id) => ({ value: id, label: outletName(id) }))} />
        </Form.Item>
        <Form.Item name="day" label={t('planning.day')} rules={[{ required: true }]}>
          <Select style={{ width: 100 }} options={days.map((x) => ({ value: x, label: t(`common.weekday.${x}`) }))} />
        </Form.Item>
        <Form.Item name="now" label={t('planning.now')} tooltip={t('planning.nowHint')} rules={[{ pattern: /^([01]\d|2[0-3]):[0-5]\d$/, message: 'HH:MM' }]}>
          <Input style={{ width: 90 }} placeholder="HH:MM" />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={dispatch.isFetching} data-testid="dispatch-run">
            {t('planning.preview')}
          </Button>
        </Form.Item>
        <Form.Item>
          {/* the preview writes nothing; committing happens on the day's dispatch page */}
          <Link to="/dispatch" data-testid="dispatch-open-day">
            {t('dispatch.open')}
          </Link>
        </Form.Item>
      </Form>
      {dispatch.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={t('common.loadFailed', { message: dispatch.error.message })} />}
      {d && (
        <div style={{ marginTop: 12 }} data-testid="dispatch-result">
          <Descriptions size="small" column={{ xs: 1, md: 4 }}>
            <Descriptions.Item label={t('planning.waiting')}>{d.parcels}</Descriptions.Item>
            <Descriptions.Item label={t('planning.unaddressed')}>{d.unaddressed.length}</Descriptions.Item>
            <Descriptions.Item label={t('planning.deferred')}>{d.deferred.length}</Descriptions.Item>
          </Descriptions>
          {d.notes.map((n) => (
            <Alert key={n} type="info" showIcon style={{ marginBottom: 8 }} title={n} />
          ))}
          <Row gutter={[12, 12]}>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('planning.runs')}>
                <Table<Run>
                  size="small"
                  rowKey={(r) => `${r.vehicleId}-${r.trip}`}
                  pagination={false}
                  dataSource={d.runs}
                  columns={[
                    { title: t('planning.vehicle'), dataIndex: 'vehicleCode', render: (c: string, r) => (r.trip > 1 ? `${c} · ${t('planning.tripN', { n: r.trip })}` : c) },
                    { title: t('planning.loadKg'), key: 'load', align: 'right', render: (_: unknown, r) => `${r.loadKg.toFixed(1)} / ${r.capacityKg}` },
                    { title: t('planning.parcels'), key: 'n', align: 'right', render: (_: unknown, r) => r.stops.reduce((s, x) => s + x.parcels.length, 0) },
                  ]}
                  expandable={{
                    expandedRowRender: (r) => (
                      <ol style={{ margin: 0 }}>
                        {r.stops.map((s, i) => (
                          <li key={`${s.villageCode}-${i}`}>
                            {s.arrival} {villageName(s.villageCode)}：{refs(s.parcels) || '—'}
                          </li>
                        ))}
                      </ol>
                    ),
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card size="small" title={t('planning.bags')}>
                <Table
                  size="small"
                  rowKey={(b) => `${b.tripId}-${b.villageCode}`}
                  pagination={false}
                  dataSource={d.bags}
                  columns={[
                    { title: t('planning.busLine'), dataIndex: 'lineCode' },
                    { title: t('planning.departure'), dataIndex: 'departure' },
                    { title: t('planning.village'), dataIndex: 'villageCode', render: (c: string) => villageName(c) },
                    { title: t('planning.parcels'), dataIndex: 'parcels', render: (ps: { waybillNo: string }[]) => refs(ps) },
                  ]}
                />
              </Card>
            </Col>
          </Row>
          {d.deferred.length > 0 && (
            <Card size="small" title={t('planning.deferred')} style={{ marginTop: 12 }}>
              <Table
                size="small"
                rowKey="parcelId"
                pagination={{ pageSize: 20 }}
                dataSource={d.deferred}
                columns={[
                  { title: t('parcels.waybill'), dataIndex: 'waybillNo' },
                  { title: t('planning.village'), dataIndex: 'villageCode', render: (c: string) => villageName(c) },
                  { title: t('planning.nextDay'), dataIndex: 'nextDay', render: (n: number | null) => (n ? <Tag>{t(`common.weekday.${n}`)}</Tag> : '—') },
                  { title: t('planning.reason'), dataIndex: 'reason' },
                ]}
              />
            </Card>
          )}
          {d.unaddressed.length > 0 && <Typography.Paragraph type="warning" style={{ marginTop: 8 }}>{`${t('planning.unaddressed')}：${refs(d.unaddressed)}`}</Typography.Paragraph>}
        </div>
      )}
    </>
  );
}
