import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Empty, Form, Input, Row, Table, Tag, Timeline, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParcel, useParcels, usePhoneSearch, type ParcelSummary } from '../../api/parcels.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { useCountyName } from '../../components/CountySelect.tsx';

export function ParcelStatusTag({ status }: { status: string }) {
  const { t, i18n } = useTranslation();
  const color = status === 'delivered' || status === 'picked_up' ? 'green' : status.includes('fail') || status === 'exception' ? 'red' : 'blue';
  return <Tag color={color}>{i18n.exists(`parcels.statuses.${status}`) ? t(`parcels.statuses.${status}`) : status}</Tag>;
}

export function AddressStatusTag({ status }: { status: string | null }) {
  const { t, i18n } = useTranslation();
  if (!status) return null;
  const color = status === 'resolved' || status === 'assigned' ? 'green' : 'orange';
  return <Tag color={color}>{i18n.exists(`parcels.addressStatuses.${status}`) ? t(`parcels.addressStatuses.${status}`) : status}</Tag>;
}

export function ParcelCard({ id }: { id: string }) {
  const { t, i18n } = useTranslation();
  const parcel = useParcel(id);
  const countyName = useCountyName();
  const p = parcel.data;
  if (parcel.isError) return <Alert type="error" showIcon title={t('common.loadFailed', { message: parcel.error.message })} />;
  if (!p) return <Card size="small" loading />;
  const events = [...p.events].sort((a, b) => a.eventTime.localeCompare(b.eventTime));
  return (
    <Card size="small" title={`${t('parcels.waybill')} ${p.waybillNo}`} data-testid="parcel-detail" extra={<ParcelStatusTag status={p.status} />}>
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t('parcels.partner')}>{p.partnerCode}</Descriptions.Item>
        <Descriptions.Item label={t('parcels.recipient')}>
          <span data-testid="parcel-recipient">{`${p.recipientName ?? ''} ${p.recipientPhone ?? ''}`}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('parcels.address')}>{p.address ?? ''}</Descriptions.Item>
        <Descriptions.Item label={t('common.county')}>{countyName(p.countyCode ?? undefined)}</Descriptions.Item>
        <Descriptions.Item label={t('parcels.village')}>
          {p.villageName ?? p.villageCode ?? '—'} <AddressStatusTag status={p.addressStatus} />
        </Descriptions.Item>
        <Descriptions.Item label={t('parcels.weight')}>{`${p.weightKg} kg × ${p.pieces}`}</Descriptions.Item>
        <Descriptions.Item label={t('parcels.service')}>{i18n.exists(`parcels.services.${p.service}`) ? t(`parcels.services.${p.service}`) : p.service}</Descriptions.Item>
        {p.codYuan > 0 && <Descriptions.Item label={t('parcels.cod')}>{t('common.fen', { yuan: p.codYuan.toFixed(2) })}</Descriptions.Item>}
        {p.purged && <Descriptions.Item label={t('parcels.purged')}>{t('common.yes')}</Descriptions.Item>}
      </Descriptions>
      <Typography.Title level={5}>{t('parcels.timeline')}</Typography.Title>
      {events.length === 0 ? (
        <Empty description={t('parcels.noEvents')} />
      ) : (
        <Timeline
          data-testid="parcel-timeline"
          items={events.map((e) => ({
            key: e.eventId,
            color: e.voided ? 'gray' : e.type === 'delivered' ? 'green' : 'blue',
            content: (
              <div style={e.voided ? { textDecoration: 'line-through', color: '#999' } : undefined}>
                <strong>{i18n.exists(`parcels.events.${e.type}`) ? t(`parcels.events.${e.type}`) : e.type}</strong>
                {e.upu && <Typography.Text type="secondary"> · {e.upu}</Typography.Text>}
                <div>{new Date(e.eventTime).toLocaleString()}</div>
                {e.reason && <div>{t('parcels.reason')}：{e.reason}</div>}
                {e.proof && <div>{t('parcels.proof')}：{`${e.proof.kind} ${e.proof.ref}${e.proof.proxyName ? ` · ${e.proof.proxyName}` : ''}`}</div>}
                {e.voided && <Tag>{t('parcels.voided')}</Tag>}
              </div>
            ),
          }))}
        />
      )}
    </Card>
  );
}

export function ParcelSearch() {
  const { t } = useTranslation();
  const { fixedCounty } = useCountyScope();
  const [waybill, setWaybill] = useState<string | undefined>(undefined);
  const [phone, setPhone] = useState<string | undefined>(undefined);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const scope = fixedCounty ? { county: fixedCounty } : {};
  const paging = { limit: page.pageSize, offset: (page.current - 1) * page.pageSize };
  const byWaybill = useParcels({ ...scope, ...(waybill ? { waybill } : {}), ...paging }, !phone);
  const byPhone = usePhoneSearch(phone ? { phone, ...scope, ...paging } : undefined);
  const list = phone ? byPhone : byWaybill;
  const countyName = useCountyName();

  const columns: ColumnsType<ParcelSummary> = [
    { title: t('parcels.waybill'), dataIndex: 'waybillNo', render: (w: string, p) => <a onClick={() => setSelected(p.id)}>{w}</a> },
    { title: t('parcels.partner'), dataIndex: 'partnerCode' },
    { title: t('parcels.recipient'), key: 'r', render: (_: unknown, p) => `${p.recipientName ?? ''} ${p.recipientPhone ?? ''}` },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string | null) => countyName(c ?? undefined) },
    { title: t('parcels.village'), key: 'v', render: (_: unknown, p) => p.villageName ?? p.villageCode ?? <AddressStatusTag status={p.addressStatus} /> },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <ParcelStatusTag status={s} /> },
    { title: t('parcels.statusAt'), dataIndex: 'statusAt', render: (s: string) => new Date(s).toLocaleString() },
  ];

  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} xl={14}>
        <Card size="small">
          <Form
            layout="inline"
            className="filters"
            onFinish={(v: { waybill?: string; phone?: string }) => {
              setWaybill(v.waybill?.trim() || undefined);
              setPhone(v.phone?.trim() || undefined);
              setPage((p) => ({ ...p, current: 1 }));
              setSelected(undefined);
            }}
          >
            <Form.Item name="waybill" label={t('parcels.waybill')}>
              <Input allowClear style={{ width: 220 }} data-testid="parcel-waybill" />
            </Form.Item>
            <Form.Item name="phone" label={t('parcels.phone')} tooltip={t('parcels.phoneHint')}>
              <Input allowClear style={{ width: 160 }} autoComplete="off" data-testid="parcel-phone" />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="parcel-search">
                {t('common.search')}
              </Button>
            </Form.Item>
          </Form>
          {list.isError && <Alert type="error" showIcon style={{ margin: '8px 0' }} title={t('common.loadFailed', { message: list.error.message })} />}
          <Table<ParcelSummary>
            data-testid="parcel-table"
            size="small"
            rowKey="id"
            style={{ marginTop: 12 }}
            columns={columns}
            dataSource={list.data?.items ?? []}
            loading={list.isFetching}
            scroll={{ x: 'max-content' }}
            onRow={(p) => ({ onClick: () => setSelected(p.id), style: { cursor: 'pointer' } })}
            pagination={{
              current: page.current,
              pageSize: page.pageSize,
              total: list.data?.total ?? 0,
              showTotal: (total) => t('common.total', { count: total }),
              onChange: (current, pageSize) => setPage({ current, pageSize }),
            }}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>{selected ? <ParcelCard id={selected} /> : <Card size="small"><Empty description={t('parcels.pickOne')} /></Card>}</Col>
    </Row>
  );
}
