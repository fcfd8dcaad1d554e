import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Switch, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFormErrors } from '../../api/form-errors.ts';
import { useList, useSave } from '../../api/hooks.ts';
import type { Agreement, Partner } from '../../api/types.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { CountySelect, useCountyName } from '../../components/CountySelect.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { ActiveTag, Fen } from '../../components/format.tsx';

function PartnerModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Partner>();
  const save = useSave<Partner>('partners');
  const [errors, setErrors] = useState<string[]>([]);
  return (
    <Modal
      open={open}
      title={t('partners.create')}
      onCancel={onClose}
      destroyOnHidden
      confirmLoading={save.isPending}
      onOk={async () => {
        const values = await form.validateFields();
        try {
          await save.mutateAsync({ body: values });
          void message.success(t('common.saved'));
          form.resetFields();
          onClose();
        } catch (e) {
          setErrors(applyFormErrors(form, e));
        }
      }}
    >
      {errors.length > 0 && <Alert type="error" showIcon title={errors.join('; ')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ active: true }} preserve={false}>
        <Form.Item name="code" label={t('common.code')} rules={[{ required: true }]}>
          <Input placeholder="ZTO" />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="active" label={t('common.status')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type AgreementForm = Omit<Agreement, 'id' | 'validFrom' | 'validTo'> & { valid: [Dayjs, Dayjs | null] };

function AgreementModal({ open, onClose, partners }: { open: boolean; onClose: () => void; partners: Partner[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { fixedCounty } = useCountyScope();
  const [form] = Form.useForm<AgreementForm>();
  const save = useSave<Agreement, Omit<Agreement, 'id'>>('agreements');
  const [errors, setErrors] = useState<string[]>([]);
  return (
    <Modal
      open={open}
      title={t('partners.createAgreement')}
      onCancel={onClose}
      destroyOnHidden
      confirmLoading={save.isPending}
      onOk={async () => {
        const { valid, ...rest } = await form.validateFields();
        try {
          await save.mutateAsync({
            body: { ...rest, countyCode: fixedCounty ?? rest.countyCode, validFrom: valid[0].format('YYYY-MM-DD'), validTo: valid[1]?.format('YYYY-MM-DD') },
          });
          void message.success(t('common.saved'));
          onClose();
        } catch (e) {
          setErrors(applyFormErrors(form, e));
        }
      }}
    >
      {errors.length > 0 && <Alert type="error" showIcon title={errors.join('; ')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ countyCode: fixedCounty, promiseHours: 48 }}>
        <Form.Item name="partnerCode" label={t('partners.partner')} rules={[{ required: true }]}>
          <Select options={partners.map((p) => ({ value: p.code, label: p.name }))} />
        </Form.Item>
        <Form.Item name="countyCode" label={t('common.county')} rules={[{ required: !fixedCounty }]} hidden={Boolean(fixedCounty)}>
          <CountySelect allowAll={false} />
        </Form.Item>
        <Form.Item name="doorRateFen" label={`${t('partners.doorRate')} (${t('partners.rateHelp')})`} rules={[{ required: true }]}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="stationRateFen" label={`${t('partners.stationRate')} (${t('partners.rateHelp')})`} rules={[{ required: true }]}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="remoteSurchargeFen" label={`${t('partners.remoteSurcharge')} (${t('partners.rateHelp')})`} initialValue={0}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="valid" label={`${t('partners.validFrom')} – ${t('partners.validTo')}`} rules={[{ required: true }]}>
          <DatePicker.RangePicker allowEmpty={[false, true]} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="promiseHours" label={t('partners.promiseHours')} rules={[{ required: true }]}>
          <InputNumber min={1} style={{ width: '100%' }} />
        </Form.Item>
        <Typography.Text type="secondary">{t('partners.settlementTerms')}</Typography.Text>
        {(['returnRateFen', 'lossDeductionFen', 'damageDeductionFen', 'lateDeductionFen'] as const).map((k) => (
          <Form.Item key={k} name={k} label={`${t(`partners.${k.replace(/Fen$/, '')}`)} (${t('partners.rateHelp')})`}>
            <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid={`agreement-${k}`} />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

export default function PartnersPage() {
  const { t } = useTranslation();
  const countyName = useCountyName();
  const [partnerOpen, setPartnerOpen] = useState(false);
  const [agreementOpen, setAgreementOpen] = useState(false);
  const partners = useList<Partner>('partners', { limit: 1000 });
  const partnerList = partners.data?.items ?? [];
  const partnerName = (code: string) => partnerList.find((p) => p.code === code)?.name ?? code;

  const partnerColumns: ColumnsType<Partner> = [
    { title: t('common.code'), dataIndex: 'code' },
    { title: t('common.name'), dataIndex: 'name' },
    { title: t('common.status'), dataIndex: 'active', render: (a: boolean) => <ActiveTag active={a} /> },
  ];
  const agreementColumns: ColumnsType<Agreement> = [
    { title: t('partners.partner'), dataIndex: 'partnerCode', render: (c: string) => partnerName(c) },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c: string) => countyName(c) },
    { title: t('partners.doorRate'), dataIndex: 'doorRateFen', align: 'right', render: (v: number) => <Fen value={v} /> },
    { title: t('partners.stationRate'), dataIndex: 'stationRateFen', align: 'right', render: (v: number) => <Fen value={v} /> },
    { title: t('partners.remoteSurcharge'), dataIndex: 'remoteSurchargeFen', align: 'right', render: (v: number) => <Fen value={v} /> },
    { title: t('partners.validFrom'), dataIndex: 'validFrom' },
    { title: t('partners.validTo'), dataIndex: 'validTo', render: (v?: string) => v ?? '—' },
    { title: t('partners.promiseHours'), dataIndex: 'promiseHours', align: 'right' },
    { title: t('partners.returnRate'), dataIndex: 'returnRateFen', align: 'right', render: (v?: number) => (v === undefined ? '—' : <Fen value={v} />) },
    { title: t('partners.lossDeduction'), dataIndex: 'lossDeductionFen', align: 'right', render: (v?: number) => (v === undefined ? '—' : <Fen value={v} />) },
    { title: t('partners.damageDeduction'), dataIndex: 'damageDeductionFen', align: 'right', render: (v?: number) => (v === undefined ? '—' : <Fen value={v} />) },
    { title: t('partners.lateDeduction'), dataIndex: 'lateDeductionFen', align: 'right', render: (v?: number) => (v === undefined ? '—' : <Fen value={v} />) },
  ];

  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('partners.title')}
      </Typography.Title>
      <Tabs
        items={[
          {
            key: 'agreements',
            label: t('partners.agreements'),
            children: (
              <ListPage<Agreement>
                resource="agreements"
                rowKey="id"
                columns={agreementColumns}
                filters={[
                  { name: 'partner', label: t('partners.partner'), kind: 'select', options: partnerList.map((p) => ({ value: p.code, label: p.name })) },
                  { name: 'county', label: t('common.county'), kind: 'county' },
                ]}
                toolbar={() => (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setAgreementOpen(true)}>
                    {t('partners.createAgreement')}
                  </Button>
                )}
              />
            ),
          },
          {
            key: 'partners',
            label: t('partners.partners'),
            children: (
              <ListPage<Partner>
                resource="partners"
                rowKey="code"
                columns={partnerColumns}
                toolbar={() => (
                  <Button type="primary" icon={<PlusOutlined />} onClick={() => setPartnerOpen(true)}>
                    {t('partners.create')}
                  </Button>
                )}
              />
            ),
          },
        ]}
      />
      <PartnerModal open={partnerOpen} onClose={() => setPartnerOpen(false)} />
      <AgreementModal open={agreementOpen} onClose={() => setAgreementOpen(false)} partners={partnerList} />
    </>
  );
}
