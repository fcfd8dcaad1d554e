import { RedoOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Empty, Input, Select, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { useList } from '../../api/hooks.ts';
import type { Partner } from '../../api/types.ts';
import { useDeliveries, useDelivery, useEndpoint, useReplay, useSaveVocabulary, useVocabulary, type WebhookDelivery } from '../../api/webhooks.ts';

const STATUS_COLOR: Record<string, string> = { delivered: 'green', pending: 'blue', failed: 'red' };

function DeliveryLog({ id }: { id: string }) {
  const { t } = useTranslation();
  const d = useDelivery(id);
  if (d.isError) return <Alert type="error" showIcon title={t('common.loadFailed', { message: d.error.message })} />;
  if (!d.data) return null;
  return (
    <div data-testid="delivery-log">
      <Table
        size="small"
        rowKey="attempt"
        pagination={false}
        dataSource={d.data.log}
        columns={[
          { title: t('webhooks.attempt'), dataIndex: 'attempt', width: 70 },
          { title: t('webhooks.at'), dataIndex: 'at', render: (s: string) => new Date(s).toLocaleString() },
          { title: t('webhooks.statusCode'), dataIndex: 'statusCode' },
          { title: t('webhooks.durationMs'), dataIndex: 'durationMs', align: 'right' },
          { title: t('webhooks.error'), dataIndex: 'error' },
        ]}
      />
      <Typography.Paragraph style={{ marginTop: 8 }}>
        <pre style={{ maxHeight: 200, overflow: 'auto', background: '#f6f8fa', padding: 8, margin: 0 }}>{JSON.stringify(d.data.body, null, 2)}</pre>
      </Typography.Paragraph>
    </div>
  );
}

function Deliveries({ partners }: { partners: Partner[] }) {
  const { t } = useTranslation();
  const [partner, setPartner] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [waybill, setWaybill] = useState<string | undefined>(undefined);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const list = useDeliveries({ ...(partner ? { partner } : {}), ...(status ? { status } : {}), ...(waybill ? { waybill } : {}), limit: page.pageSize, offset: (page.current - 1) * page.pageSize });
  const replay = useReplay();
  const [replayed, setReplayed] = useState<string | null>(null);

  const columns: ColumnsType<WebhookDelivery> = [
    { title: t('webhooks.createdAt'), dataIndex: 'createdAt', render: (s: string) => new Date(s).toLocaleString() },
    { title: t('parcels.partner'), dataIndex: 'partnerCode' },
    { title: t('parcels.waybill'), dataIndex: 'waybillNo' },
    { title: t('webhooks.eventType'), dataIndex: 'eventType' },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag color={STATUS_COLOR[s]}>{t(`webhooks.statuses.${s}`, { defaultValue: s })}</Tag> },
    { title: t('webhooks.attempts'), dataIndex: 'attempts', align: 'right' },
    { title: t('webhooks.lastResult'), key: 'last', render: (_: unknown, d) => [d.lastStatusCode, d.lastError].filter((x) => x !== null && x !== '').join(' · ') },
    { title: t('webhooks.nextAttempt'), dataIndex: 'nextAttemptAt', render: (s: string | null) => (s ? new Date(s).toLocaleString() : '') },
    { title: t('webhooks.replays'), dataIndex: 'replays', align: 'right' },
    {
      title: t('common.actions'),
      key: 'a',
      render: (_: unknown, d) => (
        <Button
          size="small"
          icon={<RedoOutlined />}
          loading={replay.isPending && replay.variables === d.id}
          onClick={() => replay.mutate(d.id, { onSuccess: () => setReplayed(d.id) })}
          data-testid="delivery-replay"
        >
          {t('webhooks.replay')}
        </Button>
      ),
    },
  ];

  return (
    <Card size="small">
      <div className="toolbar">
        <Select allowClear placeholder={t('parcels.partner')} style={{ width: 180 }} value={partner} onChange={(v: string | undefined) => { setPartner(v); setPage((p) => ({ ...p, current: 1 })); }} options={partners.map((p) => ({ value: p.code, label: `${p.name}（${p.code}）` }))} />
        <Select allowClear placeholder={t('common.status')} style={{ width: 140 }} value={status} onChange={(v: string | undefined) => { setStatus(v); setPage((p) => ({ ...p, current: 1 })); }} options={['pending', 'delivered', 'failed'].map((s) => ({ value: s, label: t(`webhooks.statuses.${s}`) }))} />
        <Input.Search allowClear placeholder={t('parcels.waybill')} style={{ width: 200 }} onSearch={(v) => { setWaybill(v.trim() || undefined); setPage((p) => ({ ...p, current: 1 })); }} />
        <div className="toolbar-right">
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.reload')} />
        </div>
      </div>
      {replayed && <Alert type="success" showIcon closable={{ onClose: () => setReplayed(null) }} style={{ marginBottom: 12 }} title={t('webhooks.replayed', { id: replayed })} data-testid="replay-done" />}
      {replay.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('webhooks.replayFailed', { message: replay.error.message })} />}
      {list.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: list.error.message })} />}
      <Table<WebhookDelivery>
        data-testid="deliveries-table"
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (d) => <DeliveryLog id={d.id} /> }}
        pagination={{ current: page.current, pageSize: page.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('common.total', { count: n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
      />
    </Card>
  );
}

function StatusMapping({ partners }: { partners: Partner[] }) {
  const { t } = useTranslation();
  const [code, setCode] = useState<string | undefined>(undefined);
  const current = code ?? partners[0]?.code;
  const vocab = useVocabulary(current);
  const endpoint = useEndpoint(current);
  const save = useSaveVocabulary(current);
  const [draft, setDraft] = useState<Record<string, string>>({});
  useEffect(() => {
    if (vocab.data) setDraft(Object.fromEntries(vocab.data.overridden.map((s) => [s, vocab.data.mapping[s] ?? ''])));
  }, [vocab.data]);

  const statuses = Object.keys(vocab.data?.defaults ?? {});
  const fieldErrors = save.error instanceof ApiError ? new Map(save.error.fieldErrors.map((e) => [e.path.replace(/^\/mapping\//, ''), e.message])) : new Map<string, string>();
  const rows = statuses.map((s) => ({ status: s, def: vocab.data?.defaults[s] ?? '', value: draft[s] ?? '' }));

  return (
    <Card size="small">
      <div className="toolbar">
        <Select style={{ width: 220 }} value={current} onChange={(v: string) => setCode(v)} options={partners.map((p) => ({ value: p.code, label: `${p.name}（${p.code}）` }))} data-testid="mapping-partner" />
      </div>
      <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('webhooks.endpoint')}>{endpoint.data ? endpoint.data.url : endpoint.data === null ? t('webhooks.noEndpoint') : ''}</Descriptions.Item>
        {endpoint.data && <Descriptions.Item label={t('common.status')}>{endpoint.data.status}{endpoint.data.disabledReason ? ` · ${endpoint.data.disabledReason}` : ''}</Descriptions.Item>}
      </Descriptions>
      {vocab.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: vocab.error.message })} />}
      {statuses.length === 0 && !vocab.isFetching ? (
        <Empty />
      ) : (
        <Table
          data-testid="mapping-table"
          size="small"
          rowKey="status"
          pagination={false}
          loading={vocab.isFetching}
          dataSource={rows}
          columns={[
            { title: t('webhooks.ourStatus'), dataIndex: 'status', render: (s: string) => (<>{t(`parcels.statuses.${s}`, { defaultValue: s })} <Typography.Text type="secondary">{s}</Typography.Text></>) },
            { title: t('webhooks.defaultCode'), dataIndex: 'def' },
            {
              title: t('webhooks.partnerCode'),
              key: 'v',
              render: (_: unknown, r) => (
                <Input
                  size="small"
                  style={{ width: 200 }}
                  placeholder={r.def}
                  value={r.value}
                  status={fieldErrors.has(r.status) ? 'error' : undefined}
                  onChange={(e) => setDraft((d) => ({ ...d, [r.status]: e.target.value }))}
                  data-testid={`mapping-${r.status}`}
                />
              ),
            },
            { title: '', key: 'err', render: (_: unknown, r) => (fieldErrors.has(r.status) ? <Typography.Text type="danger">{fieldErrors.get(r.status)}</Typography.Text> : null) },
          ]}
        />
      )}
      <Button
        type="primary"
        icon={<SaveOutlined />}
        style={{ marginTop: 12 }}
        loading={save.isPending}
        disabled={!current}
        data-testid="mapping-save"
        onClick={() => save.mutate(Object.fromEntries(Object.entries(draft).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== '')))}
      >
        {t('common.save')}
      </Button>
      {save.isSuccess && <Alert type="success" showIcon style={{ marginTop: 12 }} title={t('common.saved')} data-testid="mapping-saved" />}
      {save.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={t('common.saveFailed')} description={save.error.message} />}
    </Card>
  );
}

export default function WebhooksPage() {
  const { t } = useTranslation();
  const partners = useList<Partner>('partners', { limit: 100 });
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'mapping' ? 'mapping' : 'deliveries';
  const list = partners.data?.items ?? [];
  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('webhooks.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'deliveries', label: t('webhooks.tabDeliveries'), children: <Deliveries partners={list} /> },
          { key: 'mapping', label: t('webhooks.tabMapping'), children: <StatusMapping partners={list} /> },
        ]}
      />
    </>
  );
}
