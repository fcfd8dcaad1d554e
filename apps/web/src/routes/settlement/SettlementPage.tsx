import { CalculatorOutlined, FileDoneOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { download } from '../../api/client.ts';
import { API, useList } from '../../api/hooks.ts';
import {
  useDisputes,
  useIssue,
  useIssuedStatement,
  useIssuedStatements,
  useResolveDispute,
  useStatement,
  type Dispute,
  type IssuedSummary,
  type StatementKey,
  type StatementLine,
} from '../../api/settlement.ts';
import type { Partner } from '../../api/types.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { CountySelect, useCountyName } from '../../components/CountySelect.tsx';
import { Fen } from '../../components/format.tsx';

function Lines({ lines }: { lines: StatementLine[] }) {
  const { t } = useTranslation();
  const columns: ColumnsType<StatementLine> = [
    { title: t('settlement.line'), dataIndex: 'kind', render: (k: string) => t(`settlement.kinds.${k}`, { defaultValue: k }) },
    { title: t('settlement.agreement'), dataIndex: 'agreementId' },
    { title: t('settlement.unit'), dataIndex: 'unitFen', align: 'right', render: (f: number) => <Fen value={f} /> },
    { title: t('settlement.quantity'), dataIndex: 'quantity', align: 'right' },
    { title: t('settlement.amount'), dataIndex: 'amountFen', align: 'right', render: (f: number) => <Fen value={f} /> },
  ];
  return (
    <Table<StatementLine>
      data-testid="statement-lines"
      size="small"
      rowKey="id"
      pagination={false}
      columns={columns}
      dataSource={lines}
      expandable={{ expandedRowRender: (l) => <Typography.Text>{l.parcels.map((p) => `${p.waybillNo}（${p.date}）`).join('、')}</Typography.Text> }}
    />
  );
}

function Compute({ partners }: { partners: Partner[] }) {
  const { t } = useTranslation();
  const { fixedCounty, canChooseCounty } = useCountyScope();
  const [form] = Form.useForm<{ partner: string; county?: string; month: Dayjs }>();
  const [key, setKey] = useState<StatementKey | undefined>(undefined);
  const statement = useStatement(key);
  const issue = useIssue();
  const s = statement.data;
  const [exportError, setExportError] = useState<string | null>(null);

  const exportAs = (format: 'csv' | 'xlsx') => {
    if (!key) return;
    setExportError(null);
    download(`${API}/settlement/statement`, { ...key, format }, `statement-${key.partner}-${key.county}-${key.month}.${format}`).catch((e: unknown) => setExportError(e instanceof Error ? e.message : String(e)));
  };

  return (
    <Card size="small">
      <Form
        form={form}
        layout="inline"
        className="filters"
        initialValues={{ month: dayjs().subtract(1, 'month') }}
        onFinish={(v) => {
          const county = fixedCounty ?? v.county;
          if (!county) return;
          issue.reset();
          setKey({ partner: v.partner, county, month: v.month.format('YYYY-MM') });
        }}
        data-testid="statement-form"
      >
        <Form.Item name="partner" label={t('parcels.partner')} rules={[{ required: true }]}>
          <Select style={{ width: 180 }} options={partners.map((p) => ({ value: p.code, label: `${p.name}（${p.code}）` }))} data-testid="statement-partner" />
        </Form.Item>
        {canChooseCounty && (
          <Form.Item name="county" label={t('common.county')} rules={[{ required: true }]}>
            <CountySelect style={{ width: 160 }} />
          </Form.Item>
        )}
        <Form.Item name="month" label={t('settlement.month')} rules={[{ required: true }]}>
          <DatePicker picker="month" allowClear={false} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<CalculatorOutlined />} loading={statement.isFetching} data-testid="statement-compute">
            {t('settlement.compute')}
          </Button>
        </Form.Item>
      </Form>
      {statement.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={t('common.loadFailed', { message: statement.error.message })} />}
      {s && key && (
        <div style={{ marginTop: 12 }} data-testid="statement">
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('settlement.total')}>
              <strong data-testid="statement-total">
                <Fen value={s.totalFen} />
              </strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('settlement.unrated')}>{s.unrated.length}</Descriptions.Item>
          </Descriptions>
          <Space style={{ marginBottom: 8 }} wrap>
            <Button onClick={() => exportAs('csv')}>{t('common.exportCsv')}</Button>
            <Button onClick={() => exportAs('xlsx')}>{t('common.exportXlsx')}</Button>
            <Button type="primary" icon={<FileDoneOutlined />} loading={issue.isPending} onClick={() => issue.mutate(key)} data-testid="statement-issue">
              {t('settlement.issue')}
            </Button>
          </Space>
          {exportError && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={exportError} />}
          {issue.data && (
            <Alert type="success" showIcon style={{ marginBottom: 8 }} data-testid="statement-issued" title={t(issue.data.reissued ? 'settlement.reissued' : 'settlement.issued', { id: issue.data.id })} description={`SHA-256 ${issue.data.contentHash}`} />
          )}
          {issue.isError && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={issue.error.message} />}
          <Lines lines={s.lines} />
          {s.unrated.length > 0 && (
            <Alert type="warning" showIcon style={{ marginTop: 8 }} title={t('settlement.unratedHint', { count: s.unrated.length })} description={s.unrated.slice(0, 20).map((u) => `${u.waybillNo}（${u.kind}，${u.date}）`).join('、')} />
          )}
        </div>
      )}
    </Card>
  );
}

function Issued({ partners }: { partners: Partner[] }) {
  const { t } = useTranslation();
  const countyName = useCountyName();
  const [partner, setPartner] = useState<string | undefined>(undefined);
  const [open, setOpen] = useState<string | undefined>(undefined);
  const list = useIssuedStatements({ ...(partner ? { partner } : {}) });
  const one = useIssuedStatement(open);
  const columns: ColumnsType<IssuedSummary> = [
    { title: t('settlement.month'), dataIndex: 'month', render: (m: string, r) => <a onClick={() => setOpen(r.id)}>{m}</a> },
    { title: t('parcels.partner'), dataIndex: 'partnerCode' },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string) => countyName(c) },
    { title: t('settlement.total'), dataIndex: 'totalFen', align: 'right', render: (f: number) => <Fen value={f} /> },
    { title: t('settlement.issuedAt'), dataIndex: 'issuedAt', render: (s: string) => new Date(s).toLocaleString() },
    { title: 'SHA-256', dataIndex: 'contentHash', render: (h: string) => <Typography.Text code>{h.slice(0, 12)}</Typography.Text> },
  ];
  return (
    <Card size="small">
      <div className="toolbar">
        <Select allowClear placeholder={t('parcels.partner')} style={{ width: 180 }} value={partner} onChange={(v: string | undefined) => setPartner(v)} options={partners.map((p) => ({ value: p.code, label: `${p.name}（${p.code}）` }))} />
      </div>
      {list.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: list.error.message })} />}
      <Table<IssuedSummary> data-testid="issued-table" size="small" rowKey="id" columns={columns} dataSource={list.data?.items ?? []} loading={list.isFetching} pagination={{ pageSize: 20 }} />
      {one.data && (
        <Card size="small" title={t('settlement.statementN', { id: one.data.id })} style={{ marginTop: 12 }}>
          <Lines lines={one.data.lines} />
          <Typography.Title level={5} style={{ marginTop: 12 }}>
            {t('settlement.disputes')}
          </Typography.Title>
          <Table<Dispute> size="small" rowKey="id" pagination={false} dataSource={one.data.disputes} columns={disputeColumns(t)} />
        </Card>
      )}
    </Card>
  );
}

function disputeColumns(t: (k: string, o?: Record<string, unknown>) => string): ColumnsType<Dispute> {
  return [
    { title: t('settlement.openedAt'), dataIndex: 'openedAt', render: (s: string) => new Date(s).toLocaleString() },
    { title: t('parcels.partner'), dataIndex: 'partnerCode' },
    { title: t('settlement.line'), dataIndex: 'lineId' },
    { title: t('settlement.reason'), dataIndex: 'reason' },
    { title: t('parcels.waybill'), dataIndex: 'waybillNos', render: (w: string[] | null) => (w ?? []).join('、') },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag color={s === 'open' ? 'orange' : s === 'accepted' ? 'green' : 'default'}>{t(`settlement.statuses.${s}`, { defaultValue: s })}</Tag> },
    { title: t('settlement.resolution'), key: 'res', render: (_: unknown, d) => [d.resolution, d.adjustmentFen != null ? `${(d.adjustmentFen / 100).toFixed(2)}` : null].filter(Boolean).join(' · ') },
  ];
}

function Disputes() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string | undefined>('open');
  const list = useDisputes(status);
  const resolve = useResolveDispute();
  const [editing, setEditing] = useState<Dispute | undefined>(undefined);
  const [form] = Form.useForm<{ status: 'accepted' | 'rejected'; resolution: string; adjustmentYuan?: number }>();
  const columns: ColumnsType<Dispute> = [
    ...disputeColumns(t),
    {
      title: t('common.actions'),
      key: 'a',
      render: (_: unknown, d) =>
        d.status === 'open' ? (
          <Button size="small" onClick={() => { form.resetFields(); resolve.reset(); setEditing(d); }}>
            {t('settlement.resolve')}
          </Button>
        ) : null,
    },
  ];
  return (
    <Card size="small">
      <div className="toolbar">
        <Select allowClear style={{ width: 140 }} value={status} onChange={(v: string | undefined) => setStatus(v)} options={['open', 'accepted', 'rejected'].map((s) => ({ value: s, label: t(`settlement.statuses.${s}`) }))} placeholder={t('common.all')} />
      </div>
      {list.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: list.error.message })} />}
      <Table<Dispute> data-testid="disputes-table" size="small" rowKey="id" columns={columns} dataSource={list.data?.items ?? []} loading={list.isFetching} scroll={{ x: 'max-content' }} pagination={{ pageSize: 20 }} />
      {editing && (
        <Modal open title={t('settlement.resolveTitle')} onCancel={() => setEditing(undefined)} onOk={() => form.submit()} confirmLoading={resolve.isPending} okText={t('common.save')} cancelText={t('common.cancel')}>
          <Typography.Paragraph>{editing.reason}</Typography.Paragraph>
          <Form
            form={form}
            layout="vertical"
            initialValues={{ status: 'accepted' }}
            onFinish={(v) =>
              resolve.mutate(
                { id: editing.id, status: v.status, resolution: v.resolution.trim(), ...(v.status === 'accepted' && v.adjustmentYuan != null ? { adjustmentFen: Math.round(v.adjustmentYuan * 100) } : {}) },
                { onSuccess: () => setEditing(undefined) },
              )
            }
          >
            <Form.Item name="status" label={t('settlement.decision')}>
              <Radio.Group options={[{ value: 'accepted', label: t('settlement.statuses.accepted') }, { value: 'rejected', label: t('settlement.statuses.rejected') }]} />
            </Form.Item>
            <Form.Item name="resolution" label={t('settlement.resolution')} rules={[{ required: true, min: 2 }]}>
              <Input.TextArea rows={3} maxLength={500} />
            </Form.Item>
            <Form.Item name="adjustmentYuan" label={t('settlement.adjustment')}>
              <InputNumber step={0.01} style={{ width: 160 }} />
            </Form.Item>
          </Form>
          {resolve.isError && <Alert type="error" showIcon title={resolve.error.message} />}
        </Modal>
      )}
    </Card>
  );
}

export default function SettlementPage() {
  const { t } = useTranslation();
  const partners = useList<Partner>('partners', { limit: 100 });
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab = raw === 'issued' || raw === 'disputes' ? raw : 'compute';
  const list = partners.data?.items ?? [];
  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('settlement.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'compute', label: t('settlement.tabCompute'), children: <Compute partners={list} /> },
          { key: 'issued', label: t('settlement.tabIssued'), children: <Issued partners={list} /> },
          { key: 'disputes', label: t('settlement.tabDisputes'), children: <Disputes /> },
        ]}
      />
    </>
  );
}
