import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFormErrors } from '../../api/form-errors.ts';
import { useList } from '../../api/hooks.ts';
import { useCreatePickupTask, usePickupTasks, useShippers, type PickupTask } from '../../api/outbound.ts';
import type { DeliveryRoute } from '../../api/types.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { CountySelect, useCountyName } from '../../components/CountySelect.tsx';

interface TaskForm {
  shipperId: string;
  plannedDate: Dayjs;
  expectedParcels: number;
  routeId: string;
  note?: string;
}

function TaskDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { fixedCounty } = useCountyScope();
  const [form] = Form.useForm<TaskForm>();
  const shippers = useShippers({ ...(fixedCounty ? { county: fixedCounty } : {}), limit: 200, offset: 0 });
  const shipperId = Form.useWatch('shipperId', form);
  const shipper = shippers.data?.items.find((s) => s.id === shipperId);
  const routes = useList<DeliveryRoute>('routes', { county: shipper?.countyCode, limit: 500 }, Boolean(shipper));
  const create = useCreatePickupTask();
  const [rest, setRest] = useState<string | null>(null);

  return (
    <Modal open title={t('outbound.newPickup')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={create.isPending} okText={t('common.save')} cancelText={t('common.cancel')}>
      <Form<TaskForm>
        form={form}
        layout="vertical"
        initialValues={{ plannedDate: dayjs().add(1, 'day'), expectedParcels: 10 }}
        onFinish={(v) => {
          setRest(null);
          create.mutate(
            { shipperId: v.shipperId, plannedDate: v.plannedDate.format('YYYY-MM-DD'), expectedParcels: v.expectedParcels, routeId: v.routeId, ...(v.note ? { note: v.note } : {}) },
            {
              onSuccess: onClose,
              onError: (e) => {
                const unmatched = applyFormErrors(form, e);
                setRest(unmatched.length ? unmatched.join('；') : e.message);
              },
            },
          );
        }}
      >
        <Form.Item name="shipperId" label={t('outbound.shipper')} rules={[{ required: true }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={(shippers.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` }))} />
        </Form.Item>
        <Form.Item name="plannedDate" label={t('outbound.plannedDate')} rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="expectedParcels" label={t('outbound.expectedParcels')} rules={[{ required: true }]}>
          <InputNumber min={1} max={100000} />
        </Form.Item>
        <Form.Item name="routeId" label={t('outbound.route')} rules={[{ required: true }]} extra={t('outbound.routeHint')}>
          <Select showSearch={{ optionFilterProp: 'label' }} disabled={!shipper} loading={routes.isFetching} options={(routes.data?.items ?? []).map((r) => ({ value: r.id, label: `${r.name}（${r.code}）` }))} />
        </Form.Item>
        <Form.Item name="note" label={t('outbound.note')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
      {rest && <Alert type="error" showIcon title={rest} />}
    </Modal>
  );
}

export function PickupTasksPanel() {
  const { t, i18n } = useTranslation();
  const { fixedCounty, canChooseCounty } = useCountyScope();
  const countyName = useCountyName();
  const [county, setCounty] = useState<string | undefined>(undefined);
  const [date, setDate] = useState<Dayjs | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const tasks = usePickupTasks({ ...((fixedCounty ?? county) ? { county: fixedCounty ?? county } : {}), ...(date ? { date: date.format('YYYY-MM-DD') } : {}), limit: page.pageSize, offset: (page.current - 1) * page.pageSize });
  const shippers = useShippers({ ...(fixedCounty ? { county: fixedCounty } : {}), limit: 200, offset: 0 });
  const shipperName = useMemo(() => new Map((shippers.data?.items ?? []).map((s) => [s.id, s.name])), [shippers.data]);

  const columns: ColumnsType<PickupTask> = [
    { title: t('outbound.plannedDate'), dataIndex: 'plannedDate' },
    { title: t('outbound.shipper'), dataIndex: 'shipperId', render: (id: string) => shipperName.get(id) ?? id },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string) => countyName(c) },
    { title: t('outbound.route'), key: 'who', render: (_: unknown, x) => x.routeId ?? x.vehicleId ?? '' },
    { title: t('outbound.collected'), key: 'n', align: 'right', render: (_: unknown, x) => `${x.collected} / ${x.expectedParcels}` },
    { title: t('common.status'), dataIndex: 'status', render: (s: string) => <Tag>{i18n.exists(`outbound.taskStatuses.${s}`) ? t(`outbound.taskStatuses.${s}`) : s}</Tag> },
    { title: t('outbound.note'), dataIndex: 'note' },
  ];

  return (
    <Card size="small">
      <div className="toolbar">
        {canChooseCounty && <CountySelect value={county} onChange={setCounty} style={{ width: 160 }} />}
        <DatePicker value={date} onChange={(d) => setDate(d)} placeholder={t('outbound.plannedDate')} />
        <div className="toolbar-right">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
            {t('outbound.newPickup')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => void tasks.refetch()} aria-label={t('common.reload')} />
        </div>
      </div>
      {tasks.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: tasks.error.message })} />}
      <Table<PickupTask>
        data-testid="pickups-table"
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={tasks.data?.items ?? []}
        loading={tasks.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page.current, pageSize: page.pageSize, total: tasks.data?.total ?? 0, showTotal: (n) => t('common.total', { count: n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
      />
      {creating && <TaskDialog onClose={() => setCreating(false)} />}
    </Card>
  );
}
