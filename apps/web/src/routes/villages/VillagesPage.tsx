import { UploadOutlined } from '@ant-design/icons';
import { Button, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Village } from '../../api/types.ts';
import { useCountyName } from '../../components/CountySelect.tsx';
import { ExportButtons } from '../../components/ExportButtons.tsx';
import { ImportDialog } from '../../components/ImportDialog.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { WeekdayTags } from '../../components/format.tsx';

export default function VillagesPage() {
  const { t } = useTranslation();
  const countyName = useCountyName();
  const [importOpen, setImportOpen] = useState(false);
  const columns: ColumnsType<Village> = [
    { title: t('common.code'), dataIndex: 'code', width: 130 },
    { title: t('common.name'), dataIndex: 'name', render: (n: string, r) => (<>{n}{r.remote && <Tag color="orange" style={{ marginInlineStart: 6 }}>{t('villages.remote')}</Tag>}</>) },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string) => countyName(c) },
    { title: t('common.town'), dataIndex: 'townCode' },
    {
      title: t('villages.planned'),
      dataIndex: 'plannedVisitsPerWeek',
      render: (v: number, r) => {
        const min = r.visitRule?.minVisitsPerWeek ?? 0;
        return <Tag color={v >= min ? 'green' : 'red'}>{`${v} / ${min}`}</Tag>;
      },
    },
    { title: t('villages.allowedDays'), key: 'days', render: (_: unknown, r) => <WeekdayTags days={r.visitRule?.allowedDays} /> },
    {
      title: t('common.coordinates'),
      key: 'coords',
      render: (_: unknown, r) => (
        <Tooltip title={r.coordinatesApproximate ? t('common.approximate') : undefined}>
          <span style={{ color: r.coordinatesApproximate ? '#999' : undefined }}>
            {r.lon?.toFixed(4)}, {r.lat?.toFixed(4)}
            {r.coordinatesApproximate ? ' ≈' : ''}
          </span>
        </Tooltip>
      ),
    },
    { title: t('villages.station'), dataIndex: 'stationOutletId', render: (v?: string) => v ?? '' },
  ];
  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('villages.title')}
      </Typography.Title>
      <ListPage<Village>
        resource="villages"
        rowKey="code"
        columns={columns}
        filters={[
          { name: 'county', label: t('common.county'), kind: 'county' },
          { name: 'town', label: t('common.town'), kind: 'text', width: 130, placeholder: '522732103' },
          { name: 'q', label: t('common.keyword'), kind: 'text' },
        ]}
        toolbar={(params) => (
          <>
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
              {t('common.import')}
            </Button>
            <ExportButtons resource="villages" params={params} />
          </>
        )}
      />
      <ImportDialog resource="villages" resourceLabel={t('villages.title')} open={importOpen} onClose={() => setImportOpen(false)} />
    </>
  );
}
