import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Drawer, Form, Input, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFormErrors } from '../../api/form-errors.ts';
import { useCreateShipper, useShippers, type Shipper } from '../../api/outbound.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { CountySelect, useCountyName } from '../../components/CountySelect.tsx';

interface ShipperForm {
  code: string;
  name: string;
  kind: Shipper['kind'];
  pickupDivisionCode: string;
  pickupAddress: string;
  contactName: string;
  contactPhone: string;
  products?: string[];
}

function ShipperDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ShipperForm>();
  const create = useCreateShipper();
  const [rest, setRest] = useState<string[]>([]);

  const save = (v: ShipperForm) => {
    setRest([]);
    create.mutate(
      {
        code: v.code.trim(),
        name: v.name.trim(),
        kind: v.kind,
        pickupDivisionCode: v.pickupDivisionCode.trim(),
        pickupAddress: v.pickupAddress.trim(),
        contacts: [{ name: v.contactName.trim(), phone: v.contactPhone.trim() }],
        products: v.products ?? [],
        pricing: 'public',
      },
      {
        onSuccess: () => {
          form.resetFields();
          onClose();
        },
        onError: (e) => {
          const unmatched = applyFormErrors(form, e);
          setRest(unmatched.length ? unmatched : [e.message]);
        },
      },
    );
  };

  return (
    <Drawer open={open} onClose={onClose} title={t('outbound.newShipper')} size={480} destroyOnHidden>
      <Form<ShipperForm> form={form} layout="vertical" onFinish={save} initialValues={{ kind: 'coop' }} data-testid="shipper-form">
        <Form.Item name="code" label={t('common.code')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="kind" label={t('common.kind')} rules={[{ required: true }]}>
          <Select options={(['company', 'coop', 'individual'] as const).map((k) => ({ value: k, label: t(`outbound.kinds.${k}`) }))} />
        </Form.Item>
        <Form.Item name="pickupDivisionCode" label={t('outbound.pickupDivision')} rules={[{ required: true }]} extra={t('outbound.pickupDivisionHint')}>
          <Input />
        </Form.Item>
        <Form.Item name="pickupAddress" label={t('outbound.pickupAddress')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="contactName" label={t('outbound.contactName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('outbound.contactPhone')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="products" label={t('outbound.products')}>
          <Select mode="tags" tokenSeparators={[',', '，', ' ']} />
        </Form.Item>
        {rest.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.saveFailed')} description={rest.join('\n')} />}
        {create.isError && rest.length === 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={create.error.message} />}
        <Button type="primary" htmlType="submit" loading={create.isPending} data-testid="shipper-save">
          {t('common.save')}
        </Button>
      </Form>
    </Drawer>
  );
}

export function ShippersPanel() {
  const { t } = useTranslation();
  const { fixedCounty, canChooseCounty } = useCountyScope();
  const countyName = useCountyName();
  const [county, setCounty] = useState<string | undefined>(undefined);
  const [q, setQ] = useState<string | undefined>(undefined);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const list = useShippers({ ...((fixedCounty ?? county) ? { county: fixedCounty ?? county } : {}), ...(q ? { q } : {}), limit: page.pageSize, offset: (page.current - 1) * page.pageSize });

  const columns: ColumnsType<Shipper> = [
    { title: t('common.code'), dataIndex: 'code' },
    { title: t('common.name'), dataIndex: 'name' },
    { title: t('common.kind'), dataIndex: 'kind', render: (k: string) => t(`outbound.kinds.${k}`) },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string) => countyName(c) },
    { title: t('outbound.pickupAddress'), key: 'addr', render: (_: unknown, s) => `${s.pickupRegionText} ${s.pickupAddress}` },
    { title: t('outbound.contactName'), key: 'contacts', render: (_: unknown, s) => s.contacts.map((c) => `${c.name} ${c.phone}`).join('；') },
    { title: t('outbound.products'), dataIndex: 'products', render: (p: string[]) => p.map((x) => <Tag key={x}>{x}</Tag>) },
    { title: t('outbound.pricing'), dataIndex: 'pricing', render: (p: string) => t(`outbound.pricings.${p}`) },
    { title: t('common.status'), dataIndex: 'active', render: (a: boolean) => (a ? <Tag color="green">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>) },
  ];

  return (
    <Card size="small">
      <div className="toolbar">
        {canChooseCounty && <CountySelect value={county} onChange={setCounty} style={{ width: 160 }} />}
        <Input.Search allowClear placeholder={t('common.keyword')} style={{ width: 200 }} onSearch={(v) => { setQ(v.trim() || undefined); setPage((p) => ({ ...p, current: 1 })); }} />
        <div className="toolbar-right">
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="shipper-create">
            {t('outbound.newShipper')}
          </Button>
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.reload')} />
        </div>
      </div>
      {list.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: list.error.message })} />}
      <Table<Shipper>
        data-testid="shippers-table"
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 'max-content' }}
        pagination={{ current: page.current, pageSize: page.pageSize, total: list.data?.total ?? 0, showTotal: (n) => t('common.total', { count: n }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
      />
      <ShipperDrawer open={creating} onClose={() => setCreating(false)} />
    </Card>
  );
}
