import { InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Form, Progress, Select, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, upload } from '../../api/client.ts';
import { API, useList } from '../../api/hooks.ts';
import type { ManifestResult } from '../../api/parcels.ts';
import type { FieldErrorItem, Outlet, Partner } from '../../api/types.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { AddressStatusTag } from './ParcelSearch.tsx';

type Outcome = { kind: 'ok'; result: ManifestResult } | { kind: 'failed'; message: string; errors: FieldErrorItem[] };

export function ManifestUpload() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const { fixedCounty } = useCountyScope();
  const partners = useList<Partner>('partners', { limit: 100 });
  const outlets = useList<Outlet>('outlets', { limit: 1000, ...(fixedCounty ? { county: fixedCounty } : {}) });
  const [partner, setPartner] = useState<string | undefined>(undefined);
  const [outlet, setOutlet] = useState<string | undefined>(undefined);
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const busy = progress !== null && outcome === null;

  const start = async () => {
    if (!file || !partner || !outlet) return;
    setOutcome(null);
    setProgress(0);
    try {
      const result = await upload<ManifestResult>(`${API}/manifests/upload`, { partner, outlet }, file, setProgress);
      setOutcome({ kind: 'ok', result });
      await qc.invalidateQueries({ queryKey: ['parcels'] });
    } catch (e) {
      setOutcome({ kind: 'failed', message: e instanceof Error ? e.message : String(e), errors: e instanceof ApiError ? e.fieldErrors : [] });
    }
  };

  const errors = outcome?.kind === 'failed' ? outcome.errors.map((e, i) => ({ ...e, i })) : [];

  return (
    <Card size="small" data-testid="manifest-upload">
      <Typography.Paragraph type="secondary">{t('parcels.manifestHint')}</Typography.Paragraph>
      <Form layout="inline" className="filters">
        <Form.Item label={t('parcels.partner')} required>
          <Select<string>
            style={{ width: 200 }}
            value={partner}
            onChange={setPartner}
            loading={partners.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={(partners.data?.items ?? []).filter((p) => p.active).map((p) => ({ value: p.code, label: `${p.name}（${p.code}）` }))}
            data-testid="manifest-partner"
          />
        </Form.Item>
        <Form.Item label={t('parcels.outlet')} required>
          <Select<string>
            style={{ width: 260 }}
            value={outlet}
            onChange={setOutlet}
            loading={outlets.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={(outlets.data?.items ?? []).filter((o) => o.active !== false).map((o) => ({ value: o.code, label: `${o.name}（${o.code}）` }))}
            data-testid="manifest-outlet"
          />
        </Form.Item>
      </Form>
      <Upload.Dragger
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
      <Button type="primary" icon={<UploadOutlined />} disabled={!file || !partner || !outlet || busy} loading={busy} onClick={() => void start()} style={{ marginTop: 12 }} data-testid="manifest-start">
        {t('import.start')}
      </Button>
      {progress !== null && <Progress percent={progress} data-testid="manifest-progress" style={{ marginTop: 8 }} />}
      {outcome?.kind === 'ok' && (
        <>
          <Alert
            type={outcome.result.addressExceptions > 0 ? 'warning' : 'success'}
            showIcon
            style={{ marginTop: 12 }}
            data-testid="manifest-result"
            title={t('parcels.manifestDone', { accepted: outcome.result.accepted, duplicates: outcome.result.duplicates, exceptions: outcome.result.addressExceptions })}
          />
          <Descriptions size="small" style={{ marginTop: 8 }}>
            <Descriptions.Item label={t('parcels.manifestId')}>{outcome.result.manifestId}</Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey="waybillNo"
            dataSource={outcome.result.parcels}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: t('parcels.waybill'), dataIndex: 'waybillNo' },
              { title: t('parcels.result'), dataIndex: 'result', render: (r: string) => t(`parcels.results.${r === 'duplicate' ? 'duplicate' : 'accepted'}`) },
              { title: t('parcels.addressStatus'), dataIndex: 'addressStatus', render: (s: string | undefined) => <AddressStatusTag status={s ?? null} /> },
            ]}
          />
        </>
      )}
      {outcome?.kind === 'failed' && (
        <>
          <Alert type="error" showIcon style={{ marginTop: 12 }} title={t('parcels.manifestRejected', { count: outcome.errors.length })} description={outcome.message} />
          {errors.length > 0 && (
            <Table
              data-testid="manifest-report"
              size="small"
              rowKey="i"
              style={{ marginTop: 8 }}
              dataSource={errors}
              pagination={{ pageSize: 20 }}
              columns={[
                { title: t('import.row'), dataIndex: 'row', width: 70, render: (r: number | undefined) => r ?? '' },
                { title: t('import.field'), dataIndex: 'path' },
                { title: t('import.message'), dataIndex: 'message' },
              ]}
            />
          )}
        </>
      )}
    </Card>
  );
}
