import { Alert, Card, Col, DatePicker, Row, Statistic, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOutboundSummary } from '../../api/outbound.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { PageFallback } from '../../app/PageFallback.tsx';
import { CountySelect } from '../../components/CountySelect.tsx';

const BarChart = lazy(() => import('../../charts/BarChart.tsx'));

/** 黔货出山: parcels collected (not cancelled) per county and product category. */
export function SummaryPanel() {
  const { t } = useTranslation();
  const { fixedCounty, canChooseCounty } = useCountyScope();
  const [county, setCounty] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [dayjs().subtract(29, 'day'), dayjs()]);
  const summary = useOutboundSummary({ ...((fixedCounty ?? county) ? { county: fixedCounty ?? county } : {}), from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') });
  const s = summary.data;
  const kg = (g: number) => (g / 1000).toFixed(1);

  return (
    <>
      <div className="toolbar">
        {canChooseCounty && <CountySelect value={county} onChange={setCounty} style={{ width: 160 }} />}
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => {
            if (v?.[0] && v[1]) setRange([v[0], v[1]]);
          }}
        />
      </div>
      {summary.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: summary.error.message })} />}
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('outbound.parcelsOut')} value={s?.totalParcels ?? 0} data-testid="outbound-total" />
          </Card>
        </Col>
        <Col xs={12} md={6}>
          <Card size="small">
            <Statistic title={t('outbound.weightOut')} value={kg(s?.totalWeightG ?? 0)} />
          </Card>
        </Col>
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('outbound.byCategory')}>
            {s && s.byCategory.length > 0 ? (
              <Suspense fallback={<PageFallback />}>
                <BarChart testId="outbound-chart" name={t('outbound.parcels')} labels={s.byCategory.map((c) => c.category)} values={s.byCategory.map((c) => c.parcels)} height={Math.max(200, s.byCategory.length * 32)} />
              </Suspense>
            ) : (
              <Table size="small" dataSource={[]} columns={[]} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={t('outbound.byCounty')}>
            <Table
              data-testid="outbound-by-county"
              size="small"
              rowKey="countyCode"
              dataSource={s?.byCounty ?? []}
              loading={summary.isFetching}
              pagination={false}
              columns={[
                { title: t('common.county'), dataIndex: 'countyName' },
                { title: t('outbound.parcels'), dataIndex: 'parcels', align: 'right' },
                { title: t('outbound.weightKg'), dataIndex: 'weightG', align: 'right', render: (g: number) => kg(g) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
