import { EnvironmentOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Divider, Modal, Radio, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useVillages } from '../../api/hooks.ts';
import { useAddressQueue, useAssignVillage, type AssignResult, type ParcelSummary } from '../../api/parcels.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { CountySelect, useCountyName } from '../../components/CountySelect.tsx';
import { AddressStatusTag } from './ParcelSearch.tsx';

function AssignDialog({ parcel, onClose, onDone }: { parcel: ParcelSummary; onClose: () => void; onDone: (r: AssignResult) => void }) {
  const { t } = useTranslation();
  const assign = useAssignVillage();
  const candidates = parcel.addressCandidates ?? [];
  const [choice, setChoice] = useState<string | undefined>(candidates[0]?.code);
  const [q, setQ] = useState('');
  const search = useVillages({ county: parcel.countyCode ?? undefined, q: q.trim() || undefined, limit: 30 }, q.trim().length >= 1);
  const searchOptions = (search.data?.items ?? []).map((v) => ({ value: v.code, label: `${v.name}（${v.code}）` }));

  return (
    <Modal
      open
      title={t('parcels.assignTitle', { waybill: parcel.waybillNo })}
      onCancel={onClose}
      okText={t('parcels.assign')}
      cancelText={t('common.cancel')}
      okButtonProps={{ disabled: !choice, loading: assign.isPending, ...({ 'data-testid': 'assign-ok' } as Record<string, string>) }}
      onOk={() => {
        if (!choice) return;
        assign.mutate({ id: parcel.id, villageCode: choice }, { onSuccess: (r) => onDone(r) });
      }}
      width={640}
    >
      <Typography.Paragraph>
        <Typography.Text type="secondary">{t('parcels.address')}：</Typography.Text>
        {parcel.address ?? ''}
      </Typography.Paragraph>
      {candidates.length > 0 && (
        <>
          <Typography.Text strong>{t('parcels.candidates')}</Typography.Text>
          <Radio.Group value={choice} onChange={(e) => setChoice(String(e.target.value))} style={{ display: 'block', marginTop: 8 }} data-testid="assign-candidates">
            <Space orientation="vertical">
              {candidates.map((c) => (
                <Radio key={c.code} value={c.code}>
                  {`${c.name} · ${c.town} · ${c.county}`} <Typography.Text type="secondary">{c.code}</Typography.Text>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
          <Divider />
        </>
      )}
      <Typography.Text strong>{t('parcels.searchVillage')}</Typography.Text>
      <Select<string>
        showSearch={{ filterOption: false, onSearch: setQ }}
        style={{ width: '100%', marginTop: 8 }}
        placeholder={t('parcels.searchVillageHint')}
        value={choice && !candidates.some((c) => c.code === choice) ? choice : undefined}
        onChange={(v) => setChoice(v)}
        loading={search.isFetching}
        options={searchOptions}
        notFoundContent={q ? t('parcels.noVillage') : null}
        data-testid="assign-village-search"
      />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        <EnvironmentOutlined /> {t('parcels.aliasHint')}
      </Typography.Paragraph>
      {assign.isError && <Alert type="error" showIcon title={t('parcels.assignFailed', { message: assign.error.message })} />}
    </Modal>
  );
}

export function AddressQueue() {
  const { t, i18n } = useTranslation();
  const { fixedCounty, canChooseCounty } = useCountyScope();
  const [county, setCounty] = useState<string | undefined>(undefined);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [editing, setEditing] = useState<ParcelSummary | undefined>(undefined);
  const [done, setDone] = useState<AssignResult | undefined>(undefined);
  const countyName = useCountyName();
  const queue = useAddressQueue({ ...((fixedCounty ?? county) ? { county: fixedCounty ?? county } : {}), limit: page.pageSize, offset: (page.current - 1) * page.pageSize });

  const columns: ColumnsType<ParcelSummary> = [
    { title: t('parcels.waybill'), dataIndex: 'waybillNo' },
    { title: t('parcels.partner'), dataIndex: 'partnerCode' },
    { title: t('parcels.address'), dataIndex: 'address' },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string | null) => countyName(c ?? undefined) },
    { title: t('parcels.addressStatus'), dataIndex: 'addressStatus', render: (s: string | null) => <AddressStatusTag status={s} /> },
    {
      title: t('parcels.candidates'),
      key: 'c',
      render: (_: unknown, p) => (p.addressCandidates ?? []).map((c) => c.name).join('、') || '—',
    },
    { title: t('parcels.createdAt'), dataIndex: 'createdAt', render: (s: string) => new Date(s).toLocaleString(i18n.language) },
    {
      title: t('common.actions'),
      key: 'a',
      fixed: 'right',
      render: (_: unknown, p) => (
        <Button size="small" type="primary" onClick={() => setEditing(p)} data-testid="queue-assign">
          {t('parcels.assign')}
        </Button>
      ),
    },
  ];

  return (
    <Card size="small" data-testid="address-queue">
      <div className="toolbar">
        {canChooseCounty && <CountySelect value={county} onChange={(v) => { setCounty(v); setPage((p) => ({ ...p, current: 1 })); }} style={{ width: 160 }} />}
        <Typography.Text type="secondary">{t('parcels.queueHint')}</Typography.Text>
        <div className="toolbar-right">
          <Button icon={<ReloadOutlined />} onClick={() => void queue.refetch()} aria-label={t('common.reload')} />
        </div>
      </div>
      {done && (
        <Alert
          type="success"
          showIcon
          closable={{ onClose: () => setDone(undefined) }}
          style={{ marginBottom: 12 }}
          data-testid="assign-done"
          title={t('parcels.assigned', { village: done.villageName, count: done.alsoAssigned.length })}
          description={done.learned ? t('parcels.learned', { alias: done.learned }) : undefined}
        />
      )}
      {queue.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: queue.error.message })} />}
      <Table<ParcelSummary>
        data-testid="queue-table"
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={queue.data?.items ?? []}
        loading={queue.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: queue.data?.total ?? 0,
          showTotal: (total) => t('common.total', { count: total }),
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
      />
      {editing && (
        <AssignDialog
          parcel={editing}
          onClose={() => setEditing(undefined)}
          onDone={(r) => {
            setDone(r);
            setEditing(undefined);
          }}
        />
      )}
    </Card>
  );
}
