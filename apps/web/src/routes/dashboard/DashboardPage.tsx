import { InfoCircleOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, DatePicker, Row, Space, Statistic, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DownloadOutlined } from '@ant-design/icons';
import { download } from '../../api/client.ts';
import { API, defaultKpiPeriod, useKpiSummary } from '../../api/hooks.ts';
import type { KpiByCounty, KpiFigure } from '../../api/types.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { PageFallback } from '../../app/PageFallback.tsx';
import { CountySelect } from '../../components/CountySelect.tsx';

const TrendChart = lazy(() => import('../../charts/TrendChart.tsx'));

const KPI_ORDER = [
  'villages',
  'directMailRate',
  'frequencyCompliance',
  'parcelsIn',
  'delivered',
  'atStations',
  'exceptions',
  'deliveryHoursAvg',
  'deliveryHoursP90',
  'stationPickupRate',
  'parcelsOut',
];
const TREND_KEYS = ['parcelsIn', 'delivered', 'parcelsOut', 'exceptions'] as const;

/** Value as shown on a card: ratios as percentages, hours with one decimal, counts as integers; null → "—". */
export function formatKpi(value: number | null | undefined, unit: string, hoursSuffix = 'h'): { text: string; suffix: string } {
  if (value === null || value === undefined) return { text: '—', suffix: '' };
  if (unit === 'ratio') return { text: (value * 100).toFixed(1), suffix: '%' };
  if (unit === '%' || unit === 'percent') return { text: Number.isInteger(value) ? String(value) : value.toFixed(1), suffix: '%' };
  const suffix = unit === 'hours' || unit === 'h' ? hoursSuffix : unit === 'count' ? '' : unit;
  return { text: Number.isInteger(value) ? String(value) : value.toFixed(1), suffix };
}

export function formulaText(formula: KpiFigure['formula'], lang: string): string {
  if (typeof formula === 'string') return formula;
  return lang === 'en' ? formula.en : formula.zh;
}

export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { canChooseCounty } = useCountyScope();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => {
    const p = defaultKpiPeriod();
    return [dayjs(p.from), dayjs(p.to)];
  });
  const [county, setCounty] = useState<string | undefined>(undefined);
  const [exporting, setExporting] = useState(false);
  // A county manager sends no county: the server scopes the figures to the caller's county.
  const params = { county: canChooseCounty ? county : undefined, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const kpi = useKpiSummary(params);
  const data = kpi.data;

  const figures = useMemo(() => {
    const list = [...(data?.figures ?? [])];
    const rank = (k: string) => (KPI_ORDER.indexOf(k) === -1 ? 99 : KPI_ORDER.indexOf(k));
    return list.sort((a, b) => rank(a.key) - rank(b.key));
  }, [data]);

  const kpiLabel = (key: string) => (i18n.exists(`kpi.${key}`) ? t(`kpi.${key}`) : key);

  const trend = useMemo(() => {
    const points = data?.trend ?? [];
    return {
      dates: points.map((p) => p.date),
      series: TREND_KEYS.map((k) => ({ key: k, name: kpiLabel(k), values: points.map((p) => p[k] ?? null) })),
      recorded: points.some((p) => TREND_KEYS.some((k) => p[k] !== null && p[k] !== undefined)),
    };
  }, [data, i18n.language]);

  const unitOf = (key: string) => figures.find((f) => f.key === key)?.unit ?? '';
  const countyColumns: ColumnsType<KpiByCounty> = [
    { title: t('dashboard.countyName'), dataIndex: 'countyName', fixed: 'left', width: 140 },
    ...figures.map((f) => ({
      title: kpiLabel(f.key),
      dataIndex: f.key,
      align: 'right' as const,
      render: (v: number | null) => {
        const x = formatKpi(typeof v === 'number' ? v : null, unitOf(f.key), t('dashboard.hours'));
        return `${x.text}${x.suffix && x.suffix !== '%' ? ` ${x.suffix}` : x.suffix}`;
      },
    })),
  ];

  const exportXlsx = async () => {
    setExporting(true);
    try {
      await download(`${API}/kpi/summary.xlsx`, params, `kpi-${params.from}-${params.to}.xlsx`);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <div data-testid="dashboard">
      <div className="toolbar">
        <Typography.Title level={4} className="page-title" style={{ margin: 0 }}>
          {t('dashboard.title')}
        </Typography.Title>
        <div className="toolbar-right">
          <Space wrap>
            <span>{t('dashboard.period')}</span>
            <DatePicker.RangePicker
              allowClear={false}
              value={range}
              onChange={(v) => {
                if (v?.[0] && v[1]) setRange([v[0], v[1]]);
              }}
              data-testid="period-picker"
            />
            {canChooseCounty && <CountySelect value={county} onChange={setCounty} />}
            <Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()} loading={exporting} data-testid="kpi-export">
              {t('dashboard.exportXlsx')}
            </Button>
          </Space>
        </div>
      </div>
      {kpi.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: kpi.error.message })} style={{ marginBottom: 12 }} />}
      <Row gutter={[12, 12]}>
        {(kpi.isPending ? KPI_ORDER.map((key) => ({ key, value: null, unit: '', formula: '' }) satisfies KpiFigure) : figures).map((f) => {
          const shown = formatKpi(f.value, f.unit, t('dashboard.hours'));
          return (
            <Col key={f.key} xs={12} sm={12} md={8} lg={6} xl={6} xxl={4}>
              <Card size="small" className="kpi-card" data-kpi={f.key} data-value={f.value ?? ''} loading={kpi.isPending}>
                <Statistic
                  title={
                    <>
                      <span>{kpiLabel(f.key)}</span>
                      <Tooltip title={t('dashboard.formulaText', { formula: formulaText(f.formula, i18n.language) })}>
                        <InfoCircleOutlined data-testid={`kpi-help-${f.key}`} style={{ color: '#999' }} />
                      </Tooltip>
                    </>
                  }
                  value={shown.text}
                  suffix={shown.suffix}
                  styles={{ content: { fontSize: 22 } }}
                />
              </Card>
            </Col>
          );
        })}
      </Row>
      <Card size="small" title={t('dashboard.trend')} style={{ marginTop: 12 }}>
        {trend.dates.length && trend.recorded ? (
          <Suspense fallback={<PageFallback />}>
            <TrendChart dates={trend.dates} series={trend.series} />
          </Suspense>
        ) : (
          <Typography.Text type="secondary">{kpi.isPending ? t('app.loading') : t('dashboard.empty')}</Typography.Text>
        )}
      </Card>
      <Card size="small" title={t('dashboard.byCounty')} style={{ marginTop: 12 }}>
        <Table<KpiByCounty>
          data-testid="kpi-by-county"
          size="small"
          rowKey="countyCode"
          columns={countyColumns}
          dataSource={data?.byCounty ?? []}
          pagination={false}
          loading={kpi.isFetching}
          scroll={{ x: 'max-content' }}
        />
      </Card>
    </div>
  );
}
