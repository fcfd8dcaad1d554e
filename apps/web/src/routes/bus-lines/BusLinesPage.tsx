import { UploadOutlined } from '@ant-design/icons';
import { Button, Col, Row, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BusLine, BusStop, BusTrip } from '../../api/types.ts';
import { useCountyName } from '../../components/CountySelect.tsx';
import { ExportButtons } from '../../components/ExportButtons.tsx';
import { ImportDialog } from '../../components/ImportDialog.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { ActiveTag, Fen, WeekdayTags } from '../../components/format.tsx';

export default function BusLinesPage() {
  const { t } = useTranslation();
  const countyName = useCountyName();
  const [importOpen, setImportOpen] = useState(false);
  const columns: ColumnsType<BusLine> = [
    { title: t('common.code'), dataIndex: 'code' },
    { title: t('common.name'), dataIndex: 'name' },
    { title: t('busLines.operator'), dataIndex: 'operator' },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string) => countyName(c) },
    { title: t('busLines.stops'), key: 'stops', align: 'right', render: (_: unknown, r) => r.stops?.length ?? 0 },
    { title: t('busLines.trips'), key: 'trips', align: 'right', render: (_: unknown, r) => r.trips?.length ?? 0 },
    { title: t('common.status'), dataIndex: 'active', render: (a: boolean) => <ActiveTag active={a} /> },
  ];
  const tripColumns: ColumnsType<BusTrip> = [
    { title: t('busLines.departure'), dataIndex: 'departure' },
    { title: t('busLines.days'), dataIndex: 'days', render: (d: number[]) => <WeekdayTags days={d} /> },
    { title: t('busLines.capacityParcels'), dataIndex: 'capacityParcels', align: 'right' },
    { title: t('busLines.feePerParcel'), dataIndex: 'feePerParcelFen', align: 'right', render: (v: number) => <Fen value={v} /> },
  ];
  const stopColumns: ColumnsType<BusStop> = [
    { title: '#', dataIndex: 'seq', width: 40 },
    { title: t('common.name'), dataIndex: 'name' },
    { title: t('routes.village'), dataIndex: 'villageCode', render: (v?: string) => v ?? '' },
  ];
  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('busLines.title')}
      </Typography.Title>
      <ListPage<BusLine>
        resource="bus-lines"
        rowKey="id"
        columns={columns}
        filters={[{ name: 'county', label: t('common.county'), kind: 'county' }]}
        expandable={{
          expandedRowRender: (r) => (
            <Row gutter={12}>
              <Col xs={24} lg={10}>
                <Table<BusStop> size="small" rowKey="seq" title={() => t('busLines.stops')} columns={stopColumns} dataSource={[...(r.stops ?? [])].sort((a, b) => a.seq - b.seq)} pagination={false} />
              </Col>
              <Col xs={24} lg={14}>
                <Table<BusTrip> size="small" rowKey="id" title={() => t('busLines.trips')} columns={tripColumns} dataSource={r.trips ?? []} pagination={false} />
              </Col>
            </Row>
          ),
        }}
        toolbar={(params) => (
          <>
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)}>
              {t('common.import')}
            </Button>
            <ExportButtons resource="bus-lines" params={params} />
          </>
        )}
      />
      <ImportDialog resource="bus-lines" resourceLabel={t('busLines.title')} open={importOpen} onClose={() => setImportOpen(false)} />
    </>
  );
}
