import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Select, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFormErrors } from '../../api/form-errors.ts';
import { useList, useSave } from '../../api/hooks.ts';
import type { LooseRecord } from '../../api/types.ts';
import { autoColumns } from '../../components/AutoColumns.tsx';
import { useCountyName } from '../../components/CountySelect.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { ActiveTag } from '../../components/format.tsx';

const VEHICLE_TYPES = ['e_bike', 'motorcycle', 'van'] as const;

type FieldSpec = { name: string; label: string; number?: boolean; required?: boolean; nullable?: boolean; options?: { value: string; label: string }[] };

function CreateModal({ resource, title, fields, open, onClose }: { resource: string; title: string; fields: FieldSpec[]; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Record<string, string | number>>();
  const save = useSave<LooseRecord, Record<string, unknown>>(resource);
  const [errors, setErrors] = useState<string[]>([]);
  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      destroyOnHidden
      confirmLoading={save.isPending}
      onOk={async () => {
        const values = await form.validateFields();
        try {
          // The county follows from the outlet; empty nullable fields are sent as null.
          const body: Record<string, unknown> = { ...values };
          for (const f of fields) if (f.nullable && (body[f.name] === undefined || body[f.name] === '')) body[f.name] = null;
          await save.mutateAsync({ body });
          void message.success(t('common.saved'));
          onClose();
        } catch (e) {
          setErrors(applyFormErrors(form, e));
        }
      }}
    >
      {errors.length > 0 && <Alert type="error" showIcon title={errors.join('; ')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false}>
        {fields.map((f) => (
          <Form.Item key={f.name} name={f.name} label={f.label} rules={f.required ? [{ required: true }] : []}>
            {f.options ? <Select options={f.options} /> : f.number ? <InputNumber style={{ width: '100%' }} min={0} /> : <Input />}
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

function LooseList({ resource, labels, createTitle, fields }: { resource: string; labels: Record<string, string>; createTitle: string; fields: FieldSpec[] }) {
  const { t, i18n } = useTranslation();
  const countyName = useCountyName();
  const [open, setOpen] = useState(false);
  // The columns follow the fields the server returns (the contract leaves them open).
  const sample = useList<LooseRecord>(resource, { limit: 20 });
  const columns = autoColumns(sample.data?.items ?? [], labels, {
    countyCode: (v) => countyName(typeof v === 'string' ? v : undefined),
    active: (v) => <ActiveTag active={v !== false} />,
    type: (v) => (typeof v === 'string' && i18n.exists(`routes.vehicleTypes.${v}`) ? t(`routes.vehicleTypes.${v}`) : String(v ?? '')),
  });
  return (
    <>
      <ListPage<LooseRecord>
        resource={resource}
        rowKey={(r) => String(r.id ?? r.code ?? JSON.stringify(r))}
        columns={columns}
        filters={[{ name: 'county', label: labels.countyCode ?? 'county', kind: 'county' }]}
        toolbar={() => (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {createTitle}
          </Button>
        )}
      />
      <CreateModal resource={resource} title={createTitle} fields={fields} open={open} onClose={() => setOpen(false)} />
    </>
  );
}

export default function CarriersPage() {
  const { t } = useTranslation();
  const common = { id: 'ID', vehicleId: t('carriers.vehicleId'), code: t('common.code'), name: t('common.name'), countyCode: t('common.county'), outletId: t('carriers.outlet'), active: t('common.status') };
  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('carriers.title')}
      </Typography.Title>
      <Tabs
        items={[
          {
            key: 'carriers',
            label: t('carriers.carriers'),
            children: (
              <LooseList
                resource="carriers"
                labels={{ ...common, phone: t('carriers.phone') }}
                createTitle={t('carriers.create')}
                fields={[
                  { name: 'name', label: t('common.name'), required: true },
                  { name: 'phone', label: t('carriers.phone'), nullable: true },
                  { name: 'outletId', label: t('carriers.outlet'), required: true },
                  { name: 'vehicleId', label: t('carriers.vehicleId') },
                ]}
              />
            ),
          },
          {
            key: 'vehicles',
            label: t('carriers.vehicles'),
            children: (
              <LooseList
                resource="vehicles"
                labels={{ ...common, code: t('carriers.plate'), type: t('carriers.type'), capacityKg: t('carriers.capacityKg') }}
                createTitle={t('carriers.createVehicle')}
                fields={[
                  { name: 'code', label: t('carriers.plate'), required: true },
                  { name: 'type', label: t('carriers.type'), required: true, options: VEHICLE_TYPES.map((v) => ({ value: v, label: t(`routes.vehicleTypes.${v}`) })) },
                  { name: 'capacityKg', label: t('carriers.capacityKg'), number: true },
                  { name: 'outletId', label: t('carriers.outlet'), required: true },
                ]}
              />
            ),
          },
        ]}
      />
    </>
  );
}
