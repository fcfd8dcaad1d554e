import { PlayCircleOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, InputNumber, Progress, Select, Switch, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Route, Routes, useNavigate } from 'react-router';
import { usePlans, type PlanSummary } from '../../api/planning.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { CountySelect, useCountyName } from '../../components/CountySelect.tsx';
import { Fen, formatKm } from '../../components/format.tsx';
import { usePlanJob, useQueuePlan } from './api.ts';
import PlanDetail from './PlanDetail.tsx';

export function PlanStatusTag({ status }: { status: string }) {
  const { t, i18n } = useTranslation();
  const color = status === 'accepted' ? 'green' : status === 'draft' ? 'blue' : 'default';
  return (
    <Tag color={color} data-testid="plan-status">
      {i18n.exists(`planning.statuses.${status}`) ? t(`planning.statuses.${status}`) : status}
    </Tag>
  );
}

export function Percent({ value }: { value: number }) {
  const color = value < 0 ? '#0b7a3e' : value > 0 ? '#d93025' : undefined;
  return <span style={{ color }}>{`${value > 0 ? '+' : ''}${value.toFixed(1)}%`}</span>;
}

const pct = (before: number, after: number) => (before ? ((after - before) / before) * 100 : 0);

interface RunValues {
  county?: string;
  timeLimitS: number;
  useBus: boolean;
}

function RunPlanCard() {
  const { t } = useTranslation();
  const { fixedCounty, canChooseCounty } = useCountyScope();
  const [form] = Form.useForm<RunValues>();
  const create = useQueuePlan();
  const [jobId, setJobId] = useState<string | undefined>(undefined);
  const job = usePlanJob(jobId);
  const navigate = useNavigate();
  const countyName = useCountyName();
  const busy = create.isPending || job.data?.status === 'queued' || job.data?.status === 'running' || (Boolean(jobId) && !job.data);

  // the plan runs as a job on the server: follow it, then open the plan
  useEffect(() => {
    if (job.data?.status === 'done' && job.data.planId) void navigate(`/planning/${encodeURIComponent(job.data.planId)}`);
  }, [job.data, navigate]);

  const run = (values: RunValues) => {
    const county = fixedCounty ?? values.county;
    create.mutate({ ...(county ? { county } : {}), timeLimitS: values.timeLimitS, useBus: values.useBus }, { onSuccess: (j) => setJobId(j.id) });
  };

  return (
    <Card size="small" title={t('planning.run')} style={{ marginBottom: 12 }}>
      <Form<RunValues> form={form} layout="inline" initialValues={{ timeLimitS: 20, useBus: true }} onFinish={run} data-testid="plan-run-form">
        <Form.Item name="county" label={t('common.county')}>
          {canChooseCounty ? <CountySelect style={{ width: 180 }} /> : <Typography.Text>{countyName(fixedCounty)}</Typography.Text>}
        </Form.Item>
        <Form.Item name="timeLimitS" label={t('planning.timeLimit')} tooltip={t('planning.timeLimitHint')}>
          <InputNumber min={1} max={60} suffix={t('planning.seconds')} style={{ width: 120 }} data-testid="plan-time-limit" />
        </Form.Item>
        <Form.Item name="useBus" label={t('planning.useBus')} valuePropName="checked">
          <Switch />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" icon={<PlayCircleOutlined />} loading={busy} data-testid="plan-run">
            {busy ? t('planning.running') : t('planning.runButton')}
          </Button>
        </Form.Item>
      </Form>
      {canChooseCounty && (
        <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
          {t('planning.regionHint')}
        </Typography.Paragraph>
      )}
      {job.data && (job.data.status === 'queued' || job.data.status === 'running') && (
        <div style={{ marginTop: 8, maxWidth: 480 }} data-testid="plan-job">
          <Typography.Text type="secondary">{job.data.status === 'queued' ? t('planning.queued') : t('planning.progress', { percent: Math.round(job.data.progress * 100), stage: job.data.stage ?? '' })}</Typography.Text>
          <Progress percent={Math.round(job.data.progress * 100)} size="small" status="active" />
        </div>
      )}
      {job.data?.status === 'failed' && <Alert type="error" showIcon style={{ marginTop: 8 }} title={t('planning.jobFailed', { message: job.data.error ?? '' })} data-testid="plan-run-error" />}
      {create.isError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={t('planning.runFailed', { message: create.error.message })} data-testid="plan-run-error" />}
    </Card>
  );
}

function PlanList() {
  const { t } = useTranslation();
  const countyName = useCountyName();
  const { fixedCounty, canChooseCounty } = useCountyScope();
  const [county, setCounty] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const plans = usePlans({
    ...(fixedCounty ? { county: fixedCounty } : county ? { county } : {}),
    ...(status ? { status } : {}),
    limit: page.pageSize,
    offset: (page.current - 1) * page.pageSize,
  });

  const link = (p: PlanSummary, text: string) => <Link to={`/planning/${encodeURIComponent(p.id)}`}>{text}</Link>;
  const columns: ColumnsType<PlanSummary> = [
    { title: t('planning.createdAt'), dataIndex: 'createdAt', render: (v: string, p) => link(p, new Date(v).toLocaleString()) },
    { title: t('planning.scope'), key: 'scope', render: (_: unknown, p) => (p.countyCode ? countyName(p.countyCode) : t('planning.region')) },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <PlanStatusTag status={s} /> },
    {
      title: t('planning.kmWeek'),
      key: 'km',
      align: 'right',
      render: (_: unknown, p) => (
        <>
          {formatKm(p.totals.distanceM)} <Typography.Text type="secondary">/ {formatKm(p.baseline.distanceM)}</Typography.Text>{' '}
          <Percent value={pct(p.baseline.distanceM, p.totals.distanceM)} />
        </>
      ),
    },
    { title: t('planning.costWeek'), key: 'cost', align: 'right', render: (_: unknown, p) => <Fen value={p.totals.costFen} /> },
    { title: t('planning.trips'), key: 'trips', align: 'right', render: (_: unknown, p) => `${p.totals.trips} / ${p.baseline.trips}` },
    { title: t('planning.villagesMet'), key: 'met', align: 'right', render: (_: unknown, p) => `${p.villagesMet} / ${p.villages}` },
    { title: t('planning.busVillages'), dataIndex: 'busVillages', align: 'right' },
    { title: t('planning.elapsed'), dataIndex: 'elapsedMs', align: 'right', render: (ms: number) => `${(ms / 1000).toFixed(1)} s` },
    { title: t('planning.createdBy'), dataIndex: 'createdBy' },
  ];

  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('planning.title')}
      </Typography.Title>
      <Typography.Paragraph>
        <Link to="/dispatch" data-testid="open-day-dispatch">
          <SendOutlined /> {t('dispatch.open')}
        </Link>
      </Typography.Paragraph>
      <RunPlanCard />
      <Card size="small" title={t('planning.list')} data-testid="list-plans">
        <div className="toolbar">
          {canChooseCounty && <CountySelect value={county} onChange={(v) => { setCounty(v); setPage((p) => ({ ...p, current: 1 })); }} style={{ width: 160 }} />}
          <Select
            allowClear
            placeholder={t('common.status')}
            style={{ width: 140 }}
            value={status}
            onChange={(v: string | undefined) => { setStatus(v); setPage((p) => ({ ...p, current: 1 })); }}
            options={['draft', 'accepted', 'superseded'].map((s) => ({ value: s, label: t(`planning.statuses.${s}`) }))}
          />
          <div className="toolbar-right">
            <Button icon={<ReloadOutlined />} onClick={() => void plans.refetch()} aria-label={t('common.reload')} />
          </div>
        </div>
        {plans.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: plans.error.message })} />}
        <Table<PlanSummary>
          data-testid="list-table"
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={plans.data?.items ?? []}
          loading={plans.isFetching}
          scroll={{ x: 'max-content' }}
          pagination={{
            current: page.current,
            pageSize: page.pageSize,
            total: plans.data?.total ?? 0,
            showTotal: (total) => t('common.total', { count: total }),
            onChange: (current, pageSize) => setPage({ current, pageSize }),
          }}
        />
      </Card>
    </>
  );
}

export default function PlanningPage() {
  return (
    <Routes>
      <Route index element={<PlanList />} />
      <Route path=":id" element={<PlanDetail />} />
    </Routes>
  );
}
