import { Alert, Button, Card, Col, Descriptions, Form, Input, InputNumber, Row, Select, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuote, useShippers, useTariffs, type TariffVersion, type TariffZone } from '../../api/outbound.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { Fen } from '../../components/format.tsx';

interface QuoteForm {
  address: string;
  weightKg: number;
  shipperId?: string;
}

function QuoteCard() {
  const { t } = useTranslation();
  const { fixedCounty } = useCountyScope();
  const quote = useQuote();
  const shippers = useShippers({ ...(fixedCounty ? { county: fixedCounty } : {}), limit: 200, offset: 0 });
  const q = quote.data;
  return (
    <Card size="small" title={t('outbound.quote')}>
      <Form<QuoteForm>
        layout="vertical"
        initialValues={{ weightKg: 1 }}
        onFinish={(v) => quote.mutate({ address: v.address.trim(), weightG: Math.max(1, Math.round(v.weightKg * 1000)), ...(v.shipperId ? { shipperId: v.shipperId } : {}) })}
        data-testid="quote-form"
      >
        <Form.Item name="address" label={t('outbound.destination')} rules={[{ required: true }]} extra={t('outbound.destinationHint')}>
          <Input data-testid="quote-address" />
        </Form.Item>
        <Form.Item name="weightKg" label={t('outbound.weightKg')} rules={[{ required: true }]}>
          <InputNumber min={0.001} max={1000} step={0.1} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="shipperId" label={t('outbound.shipper')}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={(shippers.data?.items ?? []).map((s) => ({ value: s.id, label: `${s.name}（${s.code}）` }))} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={quote.isPending} data-testid="quote-submit">
          {t('outbound.quoteButton')}
        </Button>
      </Form>
      {quote.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={quote.error.message} />}
      {q && (
        <div data-testid="quote-result" style={{ marginTop: 12 }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('outbound.total')}>
              <strong data-testid="quote-total">
                <Fen value={q.totalFen} />
              </strong>
            </Descriptions.Item>
            <Descriptions.Item label={t('outbound.destination')}>{`${q.destination} · ${q.zoneName}`}</Descriptions.Item>
            <Descriptions.Item label={t('outbound.chargeable')}>{`${(q.billedWeightG / 1000).toFixed(3)} kg（${t('outbound.actual')} ${(q.actualWeightG / 1000).toFixed(3)} kg）`}</Descriptions.Item>
            <Descriptions.Item label={t('outbound.tariffVersion')}>{q.tariffVersion}</Descriptions.Item>
          </Descriptions>
          <Table
            size="small"
            rowKey={(l) => `${l.kind}-${l.label}`}
            pagination={false}
            style={{ marginTop: 8 }}
            dataSource={q.lines}
            columns={[
              { title: t('outbound.line'), dataIndex: 'label' },
              { title: t('outbound.quantity'), dataIndex: 'quantity', align: 'right' },
              { title: t('outbound.unit'), dataIndex: 'unitFen', align: 'right', render: (f: number) => <Fen value={f} /> },
              { title: t('outbound.amount'), dataIndex: 'amountFen', align: 'right', render: (f: number) => <Fen value={f} /> },
            ]}
          />
        </div>
      )}
    </Card>
  );
}

export function TariffsPanel() {
  const { t } = useTranslation();
  const tariffs = useTariffs();
  const zoneColumns = [
    { title: t('outbound.zone'), dataIndex: 'name' },
    { title: t('outbound.provinces'), dataIndex: 'provinces', render: (p: string[]) => p.join(' ') },
    { title: t('outbound.first'), key: 'first', render: (_: unknown, z: TariffZone) => <>{`${z.firstWeightG / 1000} kg · `}<Fen value={z.firstPriceFen} /></> },
    { title: t('outbound.step'), key: 'step', render: (_: unknown, z: TariffZone) => <>{`${z.stepWeightG / 1000} kg · `}<Fen value={z.stepPriceFen} /></> },
  ];
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} xl={14}>
        <Card size="small" title={t('outbound.tariffs')}>
          {tariffs.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: tariffs.error.message })} />}
          <Table<TariffVersion>
            data-testid="tariffs-table"
            size="small"
            rowKey="version"
            loading={tariffs.isFetching}
            dataSource={tariffs.data?.items ?? []}
            pagination={false}
            expandable={{ expandedRowRender: (v) => <Table<TariffZone> size="small" rowKey="id" pagination={false} dataSource={v.tariff.zones} columns={zoneColumns} /> }}
            columns={[
              { title: t('outbound.tariffVersion'), dataIndex: 'version', render: (v: string, r) => (<>{v} {r.current && <Tag color="green">{t('outbound.current')}</Tag>}</>) },
              { title: t('outbound.validFrom'), dataIndex: 'validFrom', render: (d: string | null) => (d ? new Date(d).toLocaleString() : '') },
              { title: t('outbound.supersededAt'), dataIndex: 'supersededAt', render: (d: string | null) => (d ? new Date(d).toLocaleString() : '') },
              { title: t('outbound.zones'), key: 'zones', align: 'right', render: (_: unknown, r) => r.tariff.zones.length },
              { title: t('outbound.volumetricDivisor'), key: 'vd', align: 'right', render: (_: unknown, r) => r.tariff.volumetricDivisor },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <QuoteCard />
      </Col>
    </Row>
  );
}
