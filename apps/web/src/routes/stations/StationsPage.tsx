import { ReloadOutlined, UnlockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useList } from '../../api/hooks.ts';
import {
  useInbound,
  usePickupByCode,
  usePickupById,
  useShelf,
  useStationNotifications,
  useUnlock,
  type ShelfItem,
  type StationNotification,
} from '../../api/stations.ts';
import type { Outlet } from '../../api/types.ts';
import { useCountyScope, useUser } from '../../app/auth.tsx';

function errorText(t: (k: string, o?: Record<string, unknown>) => string, e: Error): string {
  if (e instanceof ApiError && e.status === 429) return t('stations.locked', { message: e.message });
  return e.message;
}

function Counter({ station }: { station: string }) {
  const { t } = useTranslation();
  const user = useUser();
  const inbound = useInbound(station);
  const byCode = usePickupByCode(station);
  const byId = usePickupById(station);
  const unlock = useUnlock(station);
  const locked = byCode.error instanceof ApiError && byCode.error.status === 429;
  const canUnlock = user.role !== 'station_keeper';

  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('stations.inbound')}>
          <Form layout="vertical" onFinish={(v: { waybillNo: string; partnerCode?: string }) => inbound.mutate({ waybillNo: v.waybillNo.trim(), ...(v.partnerCode ? { partnerCode: v.partnerCode.trim() } : {}) })} data-testid="station-inbound">
            <Form.Item name="waybillNo" label={t('parcels.waybill')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="partnerCode" label={t('parcels.partner')} extra={t('stations.partnerHint')}>
              <Input />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={inbound.isPending} data-testid="station-inbound-submit">
              {t('stations.shelve')}
            </Button>
          </Form>
          {inbound.data && (
            <Alert type="success" showIcon style={{ marginTop: 12 }} data-testid="station-inbound-done" title={t(inbound.data.repeated ? 'stations.alreadyShelved' : 'stations.shelved', { waybill: inbound.data.waybillNo, slot: inbound.data.shelfSlot })} description={t('stations.codeSent')} />
          )}
          {inbound.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={inbound.error.message} />}
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('stations.pickupByCode')}>
          <Form layout="vertical" onFinish={(v: { code: string; phoneLast4: string }) => byCode.mutate({ code: v.code.trim(), phoneLast4: v.phoneLast4.trim() })} data-testid="station-pickup">
            <Form.Item name="code" label={t('stations.code')} rules={[{ required: true }]}>
              <Input maxLength={10} inputMode="numeric" />
            </Form.Item>
            <Form.Item name="phoneLast4" label={t('stations.phoneLast4')} rules={[{ required: true, len: 4 }]}>
              <Input maxLength={4} inputMode="numeric" />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={byCode.isPending} data-testid="station-pickup-submit">
              {t('stations.handOut')}
            </Button>
          </Form>
          {byCode.data && <Alert type="success" showIcon style={{ marginTop: 12 }} data-testid="station-pickup-done" title={t('stations.pickedUp', { waybill: byCode.data.waybillNo, slot: byCode.data.shelfSlot })} />}
          {byCode.isError && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 12 }}
              data-testid="station-pickup-error"
              title={errorText(t, byCode.error)}
              action={
                locked && canUnlock ? (
                  <Button size="small" icon={<UnlockOutlined />} loading={unlock.isPending} onClick={() => unlock.mutate({}, { onSuccess: () => byCode.reset() })}>
                    {t('stations.unlock')}
                  </Button>
                ) : undefined
              }
            />
          )}
          {unlock.isSuccess && <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('stations.unlocked')} />}
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card size="small" title={t('stations.pickupById')}>
          <Form
            layout="vertical"
            initialValues={{ documentType: 'resident_id' }}
            onFinish={(v: { waybillNo: string; documentType: 'resident_id' | 'passport' | 'other'; documentLast4: string; receivedBy?: string }) =>
              byId.mutate({ waybillNo: v.waybillNo.trim(), documentType: v.documentType, documentLast4: v.documentLast4.trim(), ...(v.receivedBy ? { receivedBy: v.receivedBy.trim() } : {}) })
            }
          >
            <Form.Item name="waybillNo" label={t('parcels.waybill')} rules={[{ required: true }]}>
              <Input />
            </Form.Item>
            <Form.Item name="documentType" label={t('stations.documentType')}>
              <Select options={(['resident_id', 'passport', 'other'] as const).map((d) => ({ value: d, label: t(`stations.documents.${d}`) }))} />
            </Form.Item>
            <Form.Item name="documentLast4" label={t('stations.documentLast4')} rules={[{ required: true, pattern: /^[0-9Xx]{4}$/ }]}>
              <Input maxLength={4} />
            </Form.Item>
            <Form.Item name="receivedBy" label={t('stations.receivedBy')}>
              <Input maxLength={40} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={byId.isPending}>
              {t('stations.handOut')}
            </Button>
          </Form>
          {byId.data && <Alert type="success" showIcon style={{ marginTop: 12 }} title={t('stations.pickedUp', { waybill: byId.data.waybillNo, slot: byId.data.shelfSlot })} />}
          {byId.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={byId.error.message} />}
        </Card>
      </Col>
    </Row>
  );
}

function Shelf({ station }: { station: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | undefined>('waiting');
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const shelf = useShelf(station, { ...(status ? { status } : {}), limit: page.pageSize, offset: (page.current - 1) * page.pageSize });
  const columns: ColumnsType<ShelfItem> = [
    { title: t('stations.slot'), dataIndex: 'shelfSlot' },
    { title: t('parcels.waybill'), dataIndex: 'waybillNo' },
    { title: t('parcels.partner'), dataIndex: 'partnerCode' },
    { title: t('parcels.recipient'), key: 'r', render: (_: unknown, x) => `${x.recipientName ?? ''} ${x.recipientPhone ?? ''}` },
    { title: t('stations.arrivedAt'), dataIndex: 'arrivedAt', render: (s: string) => new Date(s).toLocaleString() },
    { title: t('stations.reminders'), dataIndex: 'reminders', align: 'right' },
    { title: t('stations.basis'), dataIndex: 'basis' },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'waiting' ? 'blue' : s === 'picked_up' ? 'green' : 'default'}>{t(`stations.statuses.${s}`, { defaultValue: s })}</Tag> },
  ];
  return (
    <Card size="small">
      <div className="toolbar">
        <Select allowClear style={{ width: 140 }} value={status} onChange={(v: string | undefined) => { setStatus(v); setPage((p) => ({ ...p, current: 1 })); }} options={['waiting', 'picked_up', 'returned'].map((s) => ({ value: s, label: t(`stations.statuses.${s}`) }))} placeholder={t('common.all')} />
        <div className="toolbar-right">
          <Button icon={<ReloadOutlined />} onClick={() => void shelf.refetch()} aria-label={t('common.reload')} />
        </div>
      </div>
      {shelf.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: shelf.error.message })} />}
      <Table<ShelfItem> data-testid="shelf-table" size="small" rowKey="parcelId" columns={columns} dataSource={shelf.data?.items ?? []} loading={shelf.isFetching} scroll={{ x: 'max-content' }} pagination={{ current: page.current, pageSize: page.pageSize, total: shelf.data?.total ?? 0, showTotal: (n) => t('common.total', { count: n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }} />
    </Card>
  );
}

function Notifications({ station }: { station: string }) {
  const { t } = useTranslation();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const list = useStationNotifications(station, { limit: page.pageSize, offset: (page.current - 1) * page.pageSize });
  const columns: ColumnsType<StationNotification> = [
    { title: t('stations.createdAt'), dataIndex: 'createdAt', render: (s: string) => new Date(s).toLocaleString() },
    { title: t('common.kind'), dataIndex: 'kind' },
    { title: t('stations.to'), dataIndex: 'to' },
    { title: t('stations.text'), dataIndex: 'text' },
    { title: t('common.status'), dataIndex: 'status' },
    { title: t('stations.attempts'), dataIndex: 'attempts', align: 'right' },
    { title: t('webhooks.error'), dataIndex: 'lastError' },
  ];
  return (
    <Card size="small">
      {list.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: list.error.message })} />}
      <Table<StationNotification> data-testid="notifications-table" size="small" rowKey="id" columns={columns} dataSource={list.data?.items ?? []} loading={list.isFetching} scroll={{ x: 'max-content' }} pagination={{ current: page.current, pageSize: page.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('common.total', { count: n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }} />
    </Card>
  );
}

export default function StationsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const { fixedCounty } = useCountyScope();
  const keeper = user.role === 'station_keeper';
  const stations = useList<Outlet>('outlets', { kind: 'village_station', limit: 1000, ...(fixedCounty ? { county: fixedCounty } : {}) }, !keeper);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const station = keeper ? user.outletId : chosen;

  return (
    <>
      <div className="toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('stations.title')}
        </Typography.Title>
        {!keeper && (
          <Select<string>
            style={{ width: 320 }}
            placeholder={t('stations.choose')}
            value={chosen}
            onChange={setChosen}
            loading={stations.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={(stations.data?.items ?? []).map((o) => ({ value: o.id, label: `${o.name}（${o.code}）` }))}
            data-testid="station-select"
          />
        )}
      </div>
      {!station ? (
        <Alert type="info" showIcon title={t('stations.chooseHint')} />
      ) : (
        <Tabs
          destroyOnHidden
          items={[
            { key: 'counter', label: t('stations.tabCounter'), children: <Counter key={station} station={station} /> },
            { key: 'shelf', label: t('stations.tabShelf'), children: <Shelf station={station} /> },
            { key: 'notifications', label: t('stations.tabNotifications'), children: <Notifications station={station} /> },
          ]}
        />
      )}
    </>
  );
}
