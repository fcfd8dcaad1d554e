import { PrinterOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Col, Descriptions, Form, Input, Modal, Popconfirm, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useList } from '../../api/hooks.ts';
import type { Outlet } from '../../api/types.ts';
import { useUser } from '../../app/auth.tsx';
import { type DBag, type DRun, downloadRunManifest, downloadTripManifest, useBagAction, useCommitDispatch, useDayDispatch, useDepartRun } from './api.ts';

/** Today's date at the branch (Asia/Shanghai, UTC+8). */
function branchToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
type BagAction = 'seal' | 'handover' | 'receive' | 'missed';
const STATUS_COLOR: Record<DBag['status'], string> = { open: 'default', sealed: 'blue', departed: 'orange', received: 'green', missed: 'red' };

/**
 * The day's dispatch at an outlet (docs/planning.md "Daily dispatch"): commit it from the accepted
 * plan, print run and bus-trip manifests, let runs leave, and record bag seals and the two scans.
 */
export default function DayDispatch() {
  const { t } = useTranslation();
  const user = useUser();
  const clerkOutlet = user.role === 'outlet_clerk' ? user.outletId : undefined;
  const outlets = useList<Outlet>('outlets', { ...(user.countyCode ? { county: user.countyCode } : {}), limit: 1000 });
  const [outletId, setOutletId] = useState<string | undefined>(clerkOutlet);
  const [date, setDate] = useState<string>(branchToday());
  const dispatch = useDayDispatch(outletId, /^\d{4}-\d{2}-\d{2}$/.test(date) ? date : undefined);
  const commit = useCommitDispatch();
  const depart = useDepartRun();
  const bagAction = useBagAction();
  const [bagDialog, setBagDialog] = useState<{ bag: DBag; action: BagAction } | null>(null);
  const [form] = Form.useForm<{ sealNo: string; crew?: string; scanned?: string; reason?: 'missed' | 'full'; note?: string; place?: 'station' | 'stop' }>();
  const [printError, setPrintError] = useState<string | null>(null);
  const d = dispatch.data;

  useEffect(() => {
    if (!outletId && outlets.data?.items[0]) setOutletId(outlets.data.items.find((o) => o.kind === 'postal_office')?.id ?? outlets.data.items[0].id);
  }, [outletId, outlets.data]);

  const print = (p: Promise<void>) => {
    setPrintError(null);
    p.catch((e: Error) => setPrintError(e.message));
  };

  const openBag = (bag: DBag, action: BagAction) => {
    form.resetFields();
    form.setFieldsValue({ sealNo: action === 'seal' ? '' : (bag.sealNo ?? ''), reason: 'missed', place: 'station' });
    bagAction.reset();
    setBagDialog({ bag, action });
  };
  const submitBag = async () => {
    if (!bagDialog) return;
    const v = await form.validateFields();
    const { bag, action } = bagDialog;
    const body: Record<string, unknown> =
      action === 'seal' ? { sealNo: v.sealNo.trim() }
        : action === 'handover' ? { sealNo: v.sealNo.trim(), ...(v.crew?.trim() ? { crew: v.crew.trim() } : {}) }
          : action === 'receive' ? { sealNo: v.sealNo.trim(), scanned: (v.scanned ?? '').split(/[\s,，、]+/).filter(Boolean), place: v.place ?? 'station' }
            : { reason: v.reason ?? 'missed', ...(v.note?.trim() ? { note: v.note.trim() } : {}) };
    bagAction.mutate({ bagId: bag.id, action, body }, { onSuccess: () => setBagDialog(null) });
  };

  const runColumns = [
    {
      title: t('planning.vehicle'),
      key: 'v',
      render: (_: unknown, r: DRun) => (
        <>
          {r.trip > 1 ? `${r.vehicleCode} · ${t('planning.tripN', { n: r.trip })}` : r.vehicleCode}
          {(r.routeName || r.carriers.length > 0) && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {[r.routeName, r.carriers.join('、')].filter(Boolean).join(' · ')}
            </Typography.Text>
          )}
        </>
      ),
    },
    { title: t('dispatch.leaves'), dataIndex: 'departure' },
    { title: t('planning.loadKg'), key: 'load', align: 'right' as const, render: (_: unknown, r: DRun) => `${r.loadKg.toFixed(1)} / ${r.capacityKg}` },
    { title: t('planning.parcels'), dataIndex: 'parcels', align: 'right' as const },
    { title: t('common.status'), key: 's', render: (_: unknown, r: DRun) => (r.departedAt ? <Tag color="orange">{t('dispatch.departed')}</Tag> : <Tag>{t('dispatch.atOutlet')}</Tag>) },
    {
      title: t('common.actions'),
      key: 'a',
      render: (_: unknown, r: DRun) => (
        <Space size="small" wrap>
          <Button size="small" icon={<PrinterOutlined />} onClick={() => print(downloadRunManifest(r.id))} data-testid={`run-manifest-${r.vehicleCode}-${r.trip}`}>
            {t('dispatch.manifest')}
          </Button>
          {!r.departedAt && (
            <Popconfirm title={t('dispatch.departConfirm', { n: r.parcels })} onConfirm={() => depart.mutate(r.id)} okButtonProps={{ 'data-testid': 'run-depart-ok' } as Record<string, string>}>
              <Button size="small" icon={<SendOutlined />} loading={depart.isPending && depart.variables === r.id} data-testid={`run-depart-${r.vehicleCode}-${r.trip}`}>
                {t('dispatch.depart')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  const bagColumns = [
    { title: t('planning.busLine'), key: 'line', render: (_: unknown, b: DBag) => `${b.lineCode} ${b.departure}` },
    { title: t('planning.village'), key: 'v', render: (_: unknown, b: DBag) => `${b.villageName || b.villageCode} · ${b.arrival}` },
    { title: t('planning.parcels'), key: 'n', align: 'right' as const, render: (_: unknown, b: DBag) => b.parcels.length },
    { title: t('dispatch.seal'), dataIndex: 'sealNo', render: (s: string | null) => s ?? '—' },
    {
      title: t('common.status'),
      key: 's',
      render: (_: unknown, b: DBag) => (
        <Space orientation="vertical" size={0}>
          <Tag color={STATUS_COLOR[b.status]} data-testid={`bag-status-${b.villageCode}`}>{t(`dispatch.bagStatus.${b.status}`)}</Tag>
          {b.missedReason && <Typography.Text type="danger">{b.missedReason}</Typography.Text>}
          {b.reconciliation && (
            <Typography.Text type={b.reconciliation.missing.length || b.reconciliation.unexpected.length || !b.reconciliation.sealOk ? 'danger' : 'success'} data-testid={`bag-reconciliation-${b.villageCode}`}>
              {t('dispatch.reconciliation', { received: b.reconciliation.received.length, missing: b.reconciliation.missing.length, unexpected: b.reconciliation.unexpected.length })}
              {b.reconciliation.missing.length > 0 && ` ${t('dispatch.missingList')}${b.reconciliation.missing.join('、')}`}
              {!b.reconciliation.sealOk && ` ${t('dispatch.sealBroken')}`}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    {
      title: t('common.actions'),
      key: 'a',
      render: (_: unknown, b: DBag) => (
        <Space size="small" wrap>
          {b.status !== 'missed' && d && (
            <Button size="small" icon={<PrinterOutlined />} onClick={() => print(downloadTripManifest(d.id, b.tripId))} data-testid={`trip-manifest-${b.villageCode}`}>
              {t('dispatch.tripManifest')}
            </Button>
          )}
          {b.status === 'open' && <Button size="small" onClick={() => openBag(b, 'seal')} data-testid={`bag-seal-${b.villageCode}`}>{t('dispatch.recordSeal')}</Button>}
          {b.status === 'sealed' && <Button size="small" type="primary" onClick={() => openBag(b, 'handover')} data-testid={`bag-handover-${b.villageCode}`}>{t('dispatch.handover')}</Button>}
          {(b.status === 'open' || b.status === 'sealed') && <Button size="small" danger onClick={() => openBag(b, 'missed')} data-testid={`bag-missed-${b.villageCode}`}>{t('dispatch.missedBus')}</Button>}
          {b.status === 'departed' && <Button size="small" type="primary" onClick={() => openBag(b, 'receive')} data-testid={`bag-receive-${b.villageCode}`}>{t('dispatch.receive')}</Button>}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('dispatch.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {user.role !== 'outlet_clerk' && (
          <>
            <Link to="/planning">{t('planning.back')}</Link> ·{' '}
          </>
        )}
        {t('dispatch.hint')}
      </Typography.Paragraph>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Form layout="inline" data-testid="day-dispatch-form">
          <Form.Item label={t('planning.depot')}>
            {clerkOutlet ? (
              <Typography.Text>{outlets.data?.items.find((o) => o.id === clerkOutlet)?.name ?? clerkOutlet}</Typography.Text>
            ) : (
              <Select
                style={{ width: 260 }}
                value={outletId}
                onChange={setOutletId}
                showSearch={{ optionFilterProp: 'label' }}
                loading={outlets.isFetching}
                options={(outlets.data?.items ?? []).map((o) => ({ value: o.id, label: `${o.name}（${o.code}）` }))}
                data-testid="dispatch-outlet"
              />
            )}
          </Form.Item>
          <Form.Item label={t('dispatch.date')}>
            <Input type="date" value={date} onChange={(e) => setDate(e.target.value)} style={{ width: 160 }} data-testid="dispatch-date" />
          </Form.Item>
          <Form.Item>
            <Space>
              <Button
                type="primary"
                icon={<SendOutlined />}
                disabled={!outletId}
                loading={commit.isPending}
                onClick={() => outletId && commit.mutate({ outletId, date })}
                data-testid="dispatch-commit"
              >
                {d ? t('dispatch.recommit') : t('dispatch.commit')}
              </Button>
              <Button icon={<ReloadOutlined />} onClick={() => void dispatch.refetch()} aria-label={t('common.reload')} />
            </Space>
          </Form.Item>
        </Form>
        {commit.isError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={commit.error.message} data-testid="dispatch-commit-error" />}
        {printError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={printError} />}
      </Card>
      {dispatch.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: dispatch.error.message })} />}
      {d === null && <Alert type="info" showIcon title={t('dispatch.none')} data-testid="dispatch-none" />}
      {d && (
        <div data-testid="day-dispatch">
          <Descriptions size="small" column={{ xs: 1, md: 5 }} style={{ marginBottom: 8 }}>
            <Descriptions.Item label={t('dispatch.plan')}>
              <Link to={`/planning/${encodeURIComponent(d.planId)}`}>{d.planId}</Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('dispatch.commits')}>
              <span data-testid="dispatch-commits">{d.commits}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('planning.runs')}>{d.runs.length}</Descriptions.Item>
            <Descriptions.Item label={t('planning.bags')}>{d.bags.length}</Descriptions.Item>
            <Descriptions.Item label={t('planning.deferred')}>
              <span data-testid="dispatch-deferred">{d.deferred.length}</span>
            </Descriptions.Item>
          </Descriptions>
          {d.notes.length > 0 && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 8 }}
              title={t('dispatch.notes')}
              description={<ul style={{ margin: 0 }}>{d.notes.map((n, i) => <li key={`${i}-${n}`}>{n}</li>)}</ul>}
              data-testid="dispatch-notes"
            />
          )}
          <Row gutter={[12, 12]}>
            <Col xs={24} xxl={12}>
              <Card size="small" title={t('planning.runs')} data-testid="dispatch-runs">
                <Table<DRun>
                  size="small"
                  rowKey="id"
                  pagination={false}
                  dataSource={d.runs}
                  columns={runColumns}
                  expandable={{
                    expandedRowRender: (r) => (
                      <ol style={{ margin: 0 }}>
                        {r.stops.map((s, i) => (
                          <li key={`${s.villageCode}-${i}`}>
                            {s.arrival} {s.villageName || s.villageCode}：{s.parcels.map((p) => `${p.waybillNo}${p.codFen ? `（${t('dispatch.cod')} ${yuan(p.codFen)}）` : ''}`).join('、') || '—'}
                          </li>
                        ))}
                      </ol>
                    ),
                  }}
                />
              </Card>
            </Col>
            <Col xs={24} xxl={12}>
              <Card size="small" title={t('planning.bags')} data-testid="dispatch-bags">
                <Table<DBag> size="small" rowKey="id" pagination={false} dataSource={d.bags} columns={bagColumns} expandable={{ expandedRowRender: (b) => b.parcels.map((p) => p.waybillNo).join('、') || '—' }} />
              </Card>
            </Col>
          </Row>
          {d.deferred.length > 0 && (
            <Card size="small" title={t('planning.deferred')} style={{ marginTop: 12 }}>
              <Table
                size="small"
                rowKey="parcelId"
                pagination={{ pageSize: 20 }}
                dataSource={d.deferred}
                columns={[
                  { title: t('parcels.waybill'), dataIndex: 'waybillNo' },
                  { title: t('planning.village'), dataIndex: 'villageCode' },
                  { title: t('planning.nextDay'), dataIndex: 'nextDay', render: (n: number | null) => (n ? <Tag>{t(`common.weekday.${n}`)}</Tag> : '—') },
                  { title: t('planning.reason'), dataIndex: 'reason' },
                ]}
              />
            </Card>
          )}
        </div>
      )}
      <Modal
        open={bagDialog !== null}
        title={bagDialog ? `${t(`dispatch.action.${bagDialog.action}`)} · ${bagDialog.bag.lineCode} ${bagDialog.bag.departure} → ${bagDialog.bag.villageName || bagDialog.bag.villageCode}` : ''}
        onCancel={() => setBagDialog(null)}
        onOk={() => void submitBag()}
        confirmLoading={bagAction.isPending}
        okButtonProps={{ 'data-testid': 'bag-dialog-ok' } as Record<string, string>}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="bag-dialog">
          {bagDialog && bagDialog.action !== 'missed' && (
            <Form.Item name="sealNo" label={t('dispatch.sealScan')} rules={[{ required: true, pattern: /^[A-Za-z0-9-]{4,32}$/, message: t('dispatch.sealFormat') }]}>
              <Input autoFocus data-testid="bag-seal-input" />
            </Form.Item>
          )}
          {bagDialog?.action === 'handover' && (
            <Form.Item name="crew" label={t('dispatch.crew')}>
              <Input maxLength={60} data-testid="bag-crew-input" />
            </Form.Item>
          )}
          {bagDialog?.action === 'receive' && (
            <>
              <Form.Item name="place" label={t('dispatch.place')}>
                <Select options={[{ value: 'station', label: t('dispatch.station') }, { value: 'stop', label: t('dispatch.stop') }]} />
              </Form.Item>
              <Form.Item name="scanned" label={t('dispatch.scanned')} extra={t('dispatch.scannedHint', { n: bagDialog.bag.parcels.length })}>
                <Input.TextArea rows={5} data-testid="bag-scanned-input" />
              </Form.Item>
            </>
          )}
          {bagDialog?.action === 'missed' && (
            <>
              <Form.Item name="reason" label={t('planning.reason')}>
                <Select options={[{ value: 'missed', label: t('dispatch.reasonMissed') }, { value: 'full', label: t('dispatch.reasonFull') }]} data-testid="bag-missed-reason" />
              </Form.Item>
              <Form.Item name="note" label={t('dispatch.note')}>
                <Input maxLength={200} />
              </Form.Item>
            </>
          )}
        </Form>
        {bagAction.isError && <Alert type="error" showIcon title={bagAction.error.message} data-testid="bag-dialog-error" />}
      </Modal>
    </>
  );
}
