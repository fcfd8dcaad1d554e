import { Alert, App, Checkbox, Col, Drawer, Form, Input, InputNumber, Row, Select, Space, Button } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFormErrors } from '../../api/form-errors.ts';
import { useSave } from '../../api/hooks.ts';
import { OUTLET_KINDS, OUTLET_SERVICES, type Outlet } from '../../api/types.ts';

type OutletBody = Omit<Outlet, 'id' | 'countyCode' | 'townCode' | 'coordinatesApproximate' | 'active'>;

/** Create (outlet undefined) or edit an outlet; server validation errors land on the fields. */
export function OutletForm({ outlet, open, onClose }: { outlet: Outlet | undefined; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<OutletBody>();
  const save = useSave<Outlet, Partial<OutletBody>>('outlets');
  const [otherErrors, setOtherErrors] = useState<string[]>([]);

  useEffect(() => {
    if (!open) return;
    setOtherErrors([]);
    form.resetFields();
    if (outlet) form.setFieldsValue({ ...outlet, contactName: outlet.contactName ?? undefined, contactPhone: outlet.contactPhone ?? undefined });
  }, [open, outlet, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setOtherErrors([]);
    try {
      // PATCH takes every field but the code (which identifies the outlet).
      const { code, ...rest } = values;
      await save.mutateAsync({ id: outlet?.id, body: outlet ? rest : { code, ...rest } });
      void message.success(t('common.saved'));
      onClose();
    } catch (e) {
      setOtherErrors(applyFormErrors(form, e));
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={outlet ? t('outlets.edit') : t('outlets.create')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="outlet-save">
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      {otherErrors.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.saveFailed')} description={otherErrors.join('; ')} />}
      <Form form={form} layout="vertical" data-testid="outlet-form" initialValues={{ services: [], capacitySlots: 0 }}>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="code" label={t('common.code')} rules={[{ required: true }]}>
              <Input disabled={Boolean(outlet)} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="kind" label={t('common.kind')} rules={[{ required: true }]}>
              <Select options={OUTLET_KINDS.map((k) => ({ value: k, label: t(`outlets.kinds.${k}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="divisionCode" label={t('outlets.division')} rules={[{ required: true }]}>
          <Input placeholder="522732103201" />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="lon" label={t('common.lon')} rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} step={0.0001} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="lat" label={t('common.lat')} rules={[{ required: true }]}>
              <InputNumber style={{ width: '100%' }} step={0.0001} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="openingHours" label={t('outlets.openingHours')} rules={[{ required: true }]}>
              <Input placeholder="08:30-17:30" />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="capacitySlots" label={t('outlets.capacitySlots')}>
              <InputNumber style={{ width: '100%' }} min={0} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="contactName" label={t('outlets.contactName')}>
              <Input />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="contactPhone" label={t('outlets.contactPhone')}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="services" label={t('outlets.service')}>
          <Checkbox.Group options={OUTLET_SERVICES.map((s) => ({ value: s, label: t(`outlets.services.${s}`) }))} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
