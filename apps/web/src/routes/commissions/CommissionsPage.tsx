import { Alert, Button, Card, DatePicker, Descriptions, Drawer, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download } from '../../api/client.ts';
import { API } from '../../api/hooks.ts';
import { type Commission, type CommissionOverview, useCommission, useCommissionOverview } from '../../api/settlement.ts';
import { useCountyScope, useUser } from '../../app/auth.tsx';
import { CountySelect, useCountyName } from '../../components/CountySelect.tsx';
import { Fen } from '../../components/format.tsx';
import { ParcelCard } from '../parcels/ParcelSearch.tsx';

type Row = CommissionOverview['items'][number];
type ParcelRow = Commission['parcels'][number];

/** One station's month: the amount and every parcel it was paid for (each opens the parcel's history). */
function StationMonth({ station, month }: { station: string; month: string }) {
  const { t, i18n } = useTranslation();
  const c = useCommission(station, month);
  const [parcel, setParcel] = useState<string | undefined>(undefined);
  const [exportError, setExportError] = useState<string | null>(null);
  const d = c.data;
  const exportAs = (format: 'csv' | 'xlsx') => {
    setExportError(null);
    download(`${API}/settlement/commissions`, { station, month, format }, `commission-${d?.stationCode ?? station}-${month}.${format}`).catch((e: unknown) => setExportError(e instanceof Error ? e.message : String(e)));
  };
  const columns: ColumnsType<ParcelRow> = [
    { title: t('parcels.waybill'), dataIndex: 'waybillNo', render: (w: string, r) => <a onClick={() => setParcel(r.parcelId)} data-testid="commission-waybill">{w}</a> },
    { title: t('parcels.partner'), dataIndex: 'partnerCode' },
    { title: t('commissions.arrived'), dataIndex: 'date' },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag>{i18n.exists(`commissions.statuses.${s}`) ? t(`commissions.statuses.${s}`) : s}</Tag> },
  ];
  return (
    <Card size="small" data-testid="commission-station" title={d ? `${d.stationName}（${d.stationCode}）· ${month}` : month} loading={c.isPending}>
      {c.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: c.error.message })} />}
      {d && (
        <>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('commissions.unit')}>
              <Fen value={d.unitFen} />
            </Descriptions.Item>
            <Descriptions.Item label={t('commissions.quantity')}>
              <span data-testid="commission-quantity">{d.quantity}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('commissions.amount')}>
              <strong data-testid="commission-amount">
                <Fen value={d.amountFen} />
              </strong>
            </Descriptions.Item>
          </Descriptions>
          <Space style={{ marginBottom: 8 }}>
            <Button onClick={() => exportAs('csv')}>{t('common.exportCsv')}</Button>
            <Button onClick={() => exportAs('xlsx')}>{t('common.exportXlsx')}</Button>
          </Space>
          {exportError && <Alert type="error" showIcon style={{ marginBottom: 8 }} title={exportError} />}
          <Table<ParcelRow> data-testid="commission-parcels" size="small" rowKey="parcelId" columns={columns} dataSource={d.parcels} pagination={{ pageSize: 20, showTotal: (n) => t('common.total', { count: n }) }} />
        </>
      )}
      <Drawer open={Boolean(parcel)} onClose={() => setParcel(undefined)} size="large" title={t('commissions.parcel')} destroyOnHidden>
        {parcel && <ParcelCard id={parcel} />}
      </Drawer>
    </Card>
  );
}

export default function CommissionsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const countyName = useCountyName();
  const { canChooseCounty } = useCountyScope();
  const keeper = user.role === 'station_keeper';
  const [month, setMonth] = useState<Dayjs>(() => dayjs().subtract(1, 'month'));
  const [county, setCounty] = useState<string | undefined>(undefined);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const m = month.format('YYYY-MM');
  const overview = useCommissionOverview(m, county);
  const station = keeper ? (user.outletId ?? undefined) : chosen;
  const columns: ColumnsType<Row> = [
    { title: t('commissions.station'), dataIndex: 'stationName', render: (n: string, r) => <a onClick={() => setChosen(r.stationId)} data-testid="commission-open">{`${n}（${r.stationCode}）`}</a> },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string) => countyName(c) },
    { title: t('commissions.quantity'), dataIndex: 'quantity', align: 'right' },
    { title: t('commissions.amount'), dataIndex: 'amountFen', align: 'right', render: (f: number) => <Fen value={f} /> },
  ];
  return (
    <>
      <div className="toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('commissions.title')}
        </Typography.Title>
        <DatePicker picker="month" allowClear={false} value={month} onChange={(v) => v && setMonth(v)} data-testid="commission-month" />
        {canChooseCounty && !keeper && <CountySelect style={{ width: 160 }} value={county} onChange={(v: string | undefined) => setCounty(v)} />}
      </div>
      {overview.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: overview.error.message })} />}
      {!keeper && (
        <Card size="small" style={{ marginBottom: 12 }}>
          <Descriptions size="small" column={{ xs: 1, md: 3 }}>
            <Descriptions.Item label={t('commissions.stations')}>{overview.data?.total ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t('commissions.quantity')}>{overview.data?.quantity ?? 0}</Descriptions.Item>
            <Descriptions.Item label={t('commissions.amount')}>
              <Fen value={overview.data?.amountFen ?? 0} />
            </Descriptions.Item>
          </Descriptions>
          <Table<Row> data-testid="commission-overview" size="small" rowKey="stationId" columns={columns} dataSource={overview.data?.items ?? []} loading={overview.isFetching} pagination={{ pageSize: 10, showTotal: (n) => t('common.total', { count: n }) }} />
        </Card>
      )}
      {station ? <StationMonth key={`${station}:${m}`} station={station} month={m} /> : <Alert type="info" showIcon title={t('commissions.chooseHint')} />}
    </>
  );
}
