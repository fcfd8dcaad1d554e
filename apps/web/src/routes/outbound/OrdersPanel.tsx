import { InboxOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Input, Progress, Radio, Select, Space, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, upload } from '../../api/client.ts';
import { API } from '../../api/hooks.ts';
import { downloadLabels, useOrders, useShippers, type ImportReport, type LabelJob, type Order } from '../../api/outbound.ts';
import type { FieldErrorItem } from '../../api/types.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { Fen } from '../../components/format.tsx';
import { SingleOrderForm } from './SingleOrderForm.tsx';

type Outcome = { kind: 'ok'; report: ImportReport } | { kind: 'failed'; message: string; errors: FieldErrorItem[] };
type Format = 'thermal' | 'a4' | 'zpl';

function RowReport({ rows }: { rows: FieldErrorItem[] }) {
  const { t } = useTranslation();
  return (
    <Table
      data-testid="orders-import-report"
      size="small"
      rowKey={(r) => `${r.row ?? ''}-${r.path}-${r.message}`}
      style={{ marginTop: 8 }}
      dataSource={rows}
      pagination={{ pageSize: 20 }}
      columns={[
        { title: t('import.row'), dataIndex: 'row', width: 70, render: (r: number | undefined) => r ?? '' },
        { title: t('import.field'), dataIndex: 'path' },
        { title: t('import.message'), dataIndex: 'message' },
      ]}
    />
  );
}

export function OrdersPanel() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const { fixedCounty } = useCountyScope();
  const shippers = useShippers({ ...(fixedCounty ? { county: fixedCounty } : {}), limit: 200, offset: 0 });
  const [shipperId, setShipperId] = useState<string | undefined>(undefined);
  const [mode, setMode] = useState<'all' | 'valid'>('all');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const busy = progress !== null && outcome === null;

  const [importId, setImportId] = useState<string | undefined>(undefined);
  const [waybill, setWaybill] = useState<string | undefined>(undefined);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [selected, setSelected] = useState<string[]>([]);
  const [printing, setPrinting] = useState(false);
  const [printResult, setPrintResult] = useState<LabelJob | null>(null);
  const [printError, setPrintError] = useState<string | null>(null);
  const orders = useOrders({ ...(fixedCounty ? { county: fixedCounty } : {}), ...(importId ? { importId } : {}), ...(waybill ? { waybillNo: waybill } : {}), limit: page.pageSize, offset: (page.current - 1) * page.pageSize });

  const start = async () => {
    if (!file || !shipperId) return;
    setOutcome(null);
    setProgress(0);
    try {
      const report = await upload<ImportReport>(`${API}/orders/import`, { shipperId, mode }, file, setProgress);
      setOutcome({ kind: 'ok', report });
      if (report.importId) {
        setImportId(report.importId);
        setSelected([]);
        setPage((p) => ({ ...p, current: 1 }));
      }
      await qc.invalidateQueries({ queryKey: ['orders'] });
    } catch (e) {
      setOutcome({ kind: 'failed', message: e instanceof Error ? e.message : String(e), errors: e instanceof ApiError ? e.fieldErrors : [] });
    }
  };

  const print = async (format: Format) => {
    setPrinting(true);
    setPrintError(null);
    setPrintResult(null);
    try {
      const job = await downloadLabels(selected.length ? { orderIds: selected, format } : { importId: importId ?? '', format });
      setPrintResult(job);
      void qc.invalidateQueries({ queryKey: ['orders'] }); // the reprint counters
    } catch (e) {
      setPrintError(e instanceof Error ? e.message : String(e));
    } finally {
      setPrinting(false);
    }
  };

  const columns: ColumnsType<Order> = [
    { title: t('outbound.waybill'), dataIndex: 'waybillNo' },
    { title: t('outbound.externalNo'), dataIndex: 'externalNo' },
    { title: t('outbound.recipient'), key: 'r', render: (_: unknown, o) => `${o.recipient.name} ${o.recipient.phone}` },
    { title: t('outbound.destination'), dataIndex: 'destination' },
    { title: t('outbound.product'), key: 'p', render: (_: unknown, o) => `${o.product ?? ''}（${o.category}）× ${o.quantity}` },
    { title: t('outbound.weightKg'), dataIndex: 'weightG', align: 'right', render: (g: number) => (g / 1000).toFixed(2) },
    { title: t('outbound.price'), dataIndex: 'priceFen', align: 'right', render: (f: number) => <Fen value={f} /> },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag>{i18n.exists(`outbound.orderStatuses.${s}`) ? t(`outbound.orderStatuses.${s}`) : s}</Tag> },
    { title: t('outbound.labelsPrinted'), dataIndex: 'labelsPrinted', align: 'right' },
  ];

  const rejected = outcome?.kind === 'ok' ? outcome.report.rejected : outcome?.kind === 'failed' ? outcome.errors : [];

  return (
    <>
      <SingleOrderForm shippers={shippers.data?.items ?? []} />
      <Card size="small" title={t('outbound.importTitle')} data-testid="orders-import" style={{ marginTop: 16 }}>
        <Typography.Paragraph type="secondary">{t('outbound.importHint')}</Typography.Paragraph>
        <Space wrap>
          <Select<string>
            style={{ width: 260 }}
            placeholder={t('outbound.shipper')}
            value={shipperId}
            onChange={setShipperId}
            loading={shippers.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={(shippers.data?.items ?? []).filter((s) => s.active).map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` }))}
            data-testid="orders-shipper"
          />
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value === 'valid' ? 'valid' : 'all')}>
            <Radio value="all">{t('import.modeAll')}</Radio>
            <Radio value="valid">{t('import.modeValid')}</Radio>
          </Radio.Group>
        </Space>
        <Upload.Dragger
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setOutcome(null);
            setProgress(null);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          style={{ marginTop: 12 }}
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{t('import.choose')}</p>
        </Upload.Dragger>
        <Button type="primary" icon={<UploadOutlined />} style={{ marginTop: 12 }} disabled={!file || !shipperId || busy} loading={busy} onClick={() => void start()} data-testid="orders-import-start">
          {t('import.start')}
        </Button>
        {progress !== null && <Progress percent={progress} style={{ marginTop: 8 }} data-testid="orders-import-progress" />}
        {outcome?.kind === 'ok' && (
          <Alert
            type={outcome.report.rejectedRows ? 'warning' : 'success'}
            showIcon
            style={{ marginTop: 12 }}
            data-testid="orders-import-result"
            title={t('outbound.imported', { imported: outcome.report.imported, rejected: outcome.report.rejectedRows, first: outcome.report.firstWaybillNo ?? '—', last: outcome.report.lastWaybillNo ?? '—' })}
          />
        )}
        {outcome?.kind === 'failed' && <Alert type="error" showIcon style={{ marginTop: 12 }} title={t('outbound.importRejected', { count: outcome.errors.length })} description={outcome.message} />}
        {rejected.length > 0 && <RowReport rows={rejected} />}
      </Card>

      <Card size="small" title={t('outbound.orders')} style={{ marginTop: 12 }}>
        <div className="toolbar">
          <Input.Search allowClear placeholder={t('outbound.waybill')} style={{ width: 220 }} onSearch={(v) => { setWaybill(v.trim() || undefined); setPage((p) => ({ ...p, current: 1 })); }} />
          {importId && (
            <Tag closable onClose={() => setImportId(undefined)} data-testid="orders-import-filter">
              {t('outbound.importFilter', { id: importId })}
            </Tag>
          )}
          <div className="toolbar-right">
            <Typography.Text type="secondary">{selected.length ? t('outbound.selectedN', { count: selected.length }) : importId ? t('outbound.wholeImport') : ''}</Typography.Text>
            {(['thermal', 'a4', 'zpl'] as const).map((f) => (
              <Button key={f} icon={<PrinterOutlined />} disabled={printing || (!selected.length && !importId)} loading={printing} onClick={() => void print(f)} data-testid={`labels-${f}`}>
                {t(`outbound.labelFormats.${f}`)}
              </Button>
            ))}
          </div>
        </div>
        {printResult && (
          <Alert
            type={printResult.reprints ? 'warning' : 'success'}
            showIcon
            closable={{ onClose: () => setPrintResult(null) }}
            style={{ marginBottom: 12 }}
            data-testid="labels-result"
            title={t('outbound.labelsDone', { count: printResult.labels, reprints: printResult.reprints, job: printResult.jobId })}
          />
        )}
        {printError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('outbound.labelsFailed', { message: printError })} />}
        {orders.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: orders.error.message })} />}
          <Table<Order>
            data-testid="orders-table"
            size="small"
            rowKey="id"
            columns={columns}
            dataSource={orders.data?.items ?? []}
            loading={orders.isFetching}
            scroll={{ x: 'max-content' }}
            rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), preserveSelectedRowKeys: true }}
            pagination={{ current: page.current, pageSize: page.pageSize, total: orders.data?.total ?? 0, showTotal: (n) => t('common.total', { count: n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
          />
      </Card>
    </>
  );
}
