import { InboxOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Modal, Progress, Radio, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, upload } from '../api/client.ts';
import { API, invalidateResource } from '../api/hooks.ts';
import type { FieldErrorItem, ImportResult } from '../api/types.ts';

type Outcome =
  | { kind: 'ok'; imported: number; rejected: FieldErrorItem[]; warnings: FieldErrorItem[] }
  | { kind: 'failed'; message: string; errors: FieldErrorItem[] };

/**
 * Excel/CSV import: POST /api/v1/<resource>/import?mode=all|valid (multipart `file`), with an upload
 * progress bar and the per-row error report (from `rejected` or from the 422 problem's `errors`).
 */
export function ImportDialog({ resource, resourceLabel, open, onClose }: { resource: string; resourceLabel: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<'all' | 'valid'>('all');
  const [progress, setProgress] = useState<number | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const busy = progress !== null && outcome === null;

  const reset = () => {
    setFile(null);
    setProgress(null);
    setOutcome(null);
  };

  const start = async () => {
    if (!file) return;
    setOutcome(null);
    setProgress(0);
    try {
      const res = await upload<ImportResult>(`${API}/${resource}/import`, { mode }, file, setProgress);
      setOutcome({ kind: 'ok', imported: res.imported, rejected: res.rejected ?? [], warnings: res.warnings ?? [] });
      await invalidateResource(qc, resource);
    } catch (e) {
      const errors = e instanceof ApiError ? e.fieldErrors : [];
      setOutcome({ kind: 'failed', message: e instanceof Error ? e.message : String(e), errors });
    }
  };

  type ReportRow = FieldErrorItem & { i: number; level: 'error' | 'warning' };
  const report: ReportRow[] = !outcome
    ? []
    : outcome.kind === 'ok'
      ? [...outcome.rejected.map((r) => ({ ...r, level: 'error' as const })), ...outcome.warnings.map((r) => ({ ...r, level: 'warning' as const }))].map((r, i) => ({ ...r, i }))
      : outcome.errors.map((r, i) => ({ ...r, level: 'error' as const, i }));

  return (
    <Modal
      open={open}
      title={t('import.title', { resource: resourceLabel })}
      width={720}
      onCancel={() => {
        reset();
        onClose();
      }}
      destroyOnHidden
      footer={
        <Space>
          <Button
            onClick={() => {
              reset();
              onClose();
            }}
          >
            {t('common.close')}
          </Button>
          <Button type="primary" icon={<UploadOutlined />} disabled={!file} loading={busy} onClick={() => void start()} data-testid="import-start">
            {t('import.start')}
          </Button>
        </Space>
      }
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Text type="secondary">{t('import.hint')}</Typography.Text>
        <Upload.Dragger
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          maxCount={1}
          multiple={false}
          fileList={file ? [{ uid: 'f', name: file.name, status: 'done' }] : []}
          beforeUpload={(f) => {
            setFile(f);
            setOutcome(null);
            setProgress(null);
            return false;
          }}
          onRemove={() => reset()}
          data-testid="import-file"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{t('import.choose')}</p>
        </Upload.Dragger>
        <div>
          <Typography.Text>{t('import.modeLabel')}</Typography.Text>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'all' | 'valid')}>
            <Radio value="all">{t('import.modeAll')}</Radio>
            <Radio value="valid">{t('import.modeValid')}</Radio>
          </Radio.Group>
        </div>
        {progress !== null && <Progress percent={progress} status={outcome?.kind === 'failed' ? 'exception' : outcome ? 'success' : 'active'} data-testid="import-progress" />}
        {outcome?.kind === 'ok' && (
          <Alert
            type={outcome.rejected.length ? 'warning' : 'success'}
            showIcon
            data-testid="import-result"
            title={outcome.rejected.length ? t('import.partial', { count: outcome.imported, rejected: outcome.rejected.length }) : t('import.success', { count: outcome.imported })}
          />
        )}
        {outcome?.kind === 'failed' && (
          <Alert
            type="error"
            showIcon
            data-testid="import-result"
            title={outcome.errors.length ? t('import.failed', { count: outcome.errors.length }) : outcome.message}
            description={outcome.errors.length ? outcome.message : undefined}
          />
        )}
        {report.length > 0 && (
          <Table<ReportRow>
            data-testid="import-report"
            title={() => <Typography.Text strong>{t('import.report')}</Typography.Text>}
            size="small"
            rowKey="i"
            dataSource={report}
            pagination={report.length > 10 ? { pageSize: 10, size: 'small' } : false}
            columns={[
              { title: t('import.row'), dataIndex: 'row', width: 80 },
              { title: t('import.field'), dataIndex: 'path', width: 160 },
              { title: t('import.message'), dataIndex: 'message' },
              {
                title: t('import.level'),
                dataIndex: 'level',
                width: 90,
                render: (l: ReportRow['level']) => <Tag color={l === 'error' ? 'red' : 'gold'}>{t(`import.levels.${l}`)}</Tag>,
              },
            ]}
          />
        )}
      </Space>
    </Modal>
  );
}
