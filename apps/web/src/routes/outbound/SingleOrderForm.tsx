import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Form, Input, InputNumber, Row, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { request } from '../../api/client.ts';
import { applyFormErrors } from '../../api/form-errors.ts';
import { API } from '../../api/hooks.ts';
import type { Order, Shipper } from '../../api/outbound.ts';
import { Fen } from '../../components/format.tsx';

interface SingleOrderValues {
  shipperId: string;
  recipient: { name: string; phone: string; address: string };
  weightKg: number;
  product?: string;
  quantity?: number;
}

/**
 * One order typed in at the counter (a villager or a shop sending a parcel): priced with the
 * shipper's contract or the public tariff, numbered, and ready for its label.
 */
export function SingleOrderForm({ shippers }: { shippers: Shipper[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [form] = Form.useForm<SingleOrderValues>();
  const [rest, setRest] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: (v: SingleOrderValues) =>
      request<Order>(`${API}/orders`, {
        method: 'POST',
        body: {
          shipperId: v.shipperId,
          recipient: { name: v.recipient.name.trim(), phone: v.recipient.phone.trim(), address: v.recipient.address.trim() },
          weightG: Math.round(v.weightKg * 1000),
          ...(v.product ? { product: v.product.trim() } : {}),
          ...(v.quantity ? { quantity: v.quantity } : {}),
        },
      }),
    onSuccess: () => {
      setRest([]);
      form.resetFields(['recipient', 'weightKg', 'product', 'quantity']);
      void qc.invalidateQueries({ queryKey: ['orders'] });
    },
    onError: (e) => setRest(applyFormErrors(form, e)),
  });
  const done = create.data;
  return (
    <Card size="small" title={t('outbound.singleOrder')} data-testid="single-order">
      <Form<SingleOrderValues> form={form} layout="vertical" onFinish={(v) => create.mutate(v)} data-testid="single-order-form">
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="shipperId" label={t('outbound.shipper')} rules={[{ required: true }]}>
              <Select data-testid="single-order-shipper" showSearch optionFilterProp="label" options={shippers.map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name={['recipient', 'name']} label={t('outbound.recipientName')} rules={[{ required: true }]}>
              <Input maxLength={30} />
            </Form.Item>
          </Col>
          <Col xs={12} md={4}>
            <Form.Item name={['recipient', 'phone']} label={t('outbound.recipientPhone')} rules={[{ required: true }]}>
              <Input maxLength={20} inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name={['recipient', 'address']} label={t('outbound.recipientAddress')} rules={[{ required: true }]}>
              <Input maxLength={200} placeholder={t('outbound.recipientAddressHint')} />
            </Form.Item>
          </Col>
          <Col xs={8} md={4}>
            <Form.Item name="weightKg" label={t('outbound.weightKg')} rules={[{ required: true }]}>
              <InputNumber min={0.01} max={1000} step={0.1} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={10} md={6}>
            <Form.Item name="product" label={t('outbound.product')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={6} md={3}>
            <Form.Item name="quantity" label={t('outbound.quantity')}>
              <InputNumber min={1} max={9999} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={11} style={{ display: 'flex', alignItems: 'flex-end' }}>
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<PlusOutlined />} loading={create.isPending} data-testid="single-order-submit">
                {t('outbound.createOrder')}
              </Button>
            </Form.Item>
          </Col>
        </Row>
      </Form>
      {rest.length > 0 && <Alert type="error" showIcon title={rest.join('; ')} />}
      {done && !create.isPending && (
        <Alert
          type="success"
          showIcon
          data-testid="single-order-result"
          title={
            <Space wrap>
              <span>{t('outbound.orderCreated')}</span>
              <Typography.Text strong copyable data-testid="single-order-waybill">{done.waybillNo}</Typography.Text>
              <span>{done.recipient.name} {done.recipient.phone}</span>
              <span>{done.destination}</span>
              <Fen value={done.priceFen} />
              <Typography.Text type="secondary">{t('outbound.tariffVersion')}: {done.tariffVersion}</Typography.Text>
            </Space>
          }
        />
      )}
    </Card>
  );
}
