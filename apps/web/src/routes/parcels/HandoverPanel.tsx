import { Alert, Button, Card, Col, Descriptions, Form, Input, Row, Select, Statistic, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useList } from '../../api/hooks.ts';
import { useHandover, useSignHandover, type Handover } from '../../api/parcels.ts';
import type { Outlet, Partner } from '../../api/types.ts';
import { useCountyScope } from '../../app/auth.tsx';

interface SignValues {
  partnerCode: string;
  outletCode: string;
  scans: string;
  damaged?: string;
  postSigner: string;
  partnerSigner: string;
}

const lines = (s: string | undefined) => (s ?? '').split(/[\s,;，；]+/).map((x) => x.trim()).filter(Boolean);

function HandoverView({ h }: { h: Handover }) {
  const { t, i18n } = useTranslation();
  const color: Record<string, string> = { received: 'green', damaged: 'orange', missing: 'red', unexpected: 'purple' };
  return (
    <Card size="small" title={t('parcels.handoverId', { id: h.id })} data-testid="handover-view">
      <Row gutter={12}>
        {(['received', 'damaged', 'missing', 'unexpected'] as const).map((k) => (
          <Col span={6} key={k}>
            <Statistic title={t(`parcels.handoverResults.${k}`)} value={h.counts[k]} />
          </Col>
        ))}
      </Row>
      <Descriptions size="small" style={{ marginTop: 8 }} column={2}>
        <Descriptions.Item label={t('parcels.partner')}>{h.partnerCode}</Descriptions.Item>
        <Descriptions.Item label={t('parcels.outlet')}>{h.outletId}</Descriptions.Item>
        <Descriptions.Item label={t('parcels.postSigner')}>{h.signedBy.post}</Descriptions.Item>
        <Descriptions.Item label={t('parcels.partnerSigner')}>{h.signedBy.partner}</Descriptions.Item>
        <Descriptions.Item label={t('parcels.signedAt')}>{new Date(h.signedAt).toLocaleString()}</Descriptions.Item>
      </Descriptions>
      <Table
        size="small"
        rowKey="waybillNo"
        dataSource={h.items}
        pagination={{ pageSize: 20 }}
        columns={[
          { title: t('parcels.waybill'), dataIndex: 'waybillNo' },
          {
            title: t('parcels.result'),
            dataIndex: 'result',
            render: (r: string) => <Tag color={color[r]}>{i18n.exists(`parcels.handoverResults.${r}`) ? t(`parcels.handoverResults.${r}`) : r}</Tag>,
          },
          { title: t('parcels.note'), dataIndex: 'note' },
        ]}
      />
    </Card>
  );
}

/** Handover reconciliation: sign the scans of a partner's delivery against its manifests, or open one by id. */
export function HandoverPanel() {
  const { t } = useTranslation();
  const { fixedCounty } = useCountyScope();
  const partners = useList<Partner>('partners', { limit: 100 });
  const outlets = useList<Outlet>('outlets', { limit: 1000, ...(fixedCounty ? { county: fixedCounty } : {}) });
  const sign = useSignHandover();
  const [lookupId, setLookupId] = useState<string | undefined>(undefined);
  const [lookupText, setLookupText] = useState('');
  const looked = useHandover(lookupId);

  const submit = (v: SignValues) => {
    const damaged = new Set(lines(v.damaged));
    const scans = [...new Set([...lines(v.scans), ...damaged])].map((w) => (damaged.has(w) ? { waybillNo: w, damaged: true } : { waybillNo: w }));
    sign.mutate({ partnerCode: v.partnerCode, outletCode: v.outletCode, scans, postSigner: v.postSigner, partnerSigner: v.partnerSigner });
  };

  const shown = sign.data ?? looked.data;
  return (
    <Row gutter={[12, 12]}>
      <Col xs={24} xl={10}>
        <Card size="small" title={t('parcels.handoverSign')}>
          <Form<SignValues> layout="vertical" onFinish={submit} data-testid="handover-form">
            <Form.Item name="partnerCode" label={t('parcels.partner')} rules={[{ required: true }]}>
              <Select options={(partners.data?.items ?? []).map((p) => ({ value: p.code, label: `${p.name}（${p.code}）` }))} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
            <Form.Item name="outletCode" label={t('parcels.outlet')} rules={[{ required: true }]}>
              <Select options={(outlets.data?.items ?? []).map((o) => ({ value: o.code, label: `${o.name}（${o.code}）` }))} showSearch={{ optionFilterProp: 'label' }} />
            </Form.Item>
            <Form.Item name="scans" label={t('parcels.scans')} extra={t('parcels.scansHint')}>
              <Input.TextArea rows={5} />
            </Form.Item>
            <Form.Item name="damaged" label={t('parcels.damagedScans')}>
              <Input.TextArea rows={2} />
            </Form.Item>
            <Form.Item name="postSigner" label={t('parcels.postSigner')} rules={[{ required: true }]}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item name="partnerSigner" label={t('parcels.partnerSigner')} rules={[{ required: true }]}>
              <Input maxLength={50} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={sign.isPending}>
              {t('parcels.handoverSubmit')}
            </Button>
          </Form>
          {sign.isError && <Alert type="error" showIcon style={{ marginTop: 12 }} title={t('parcels.handoverFailed', { message: sign.error.message })} />}
        </Card>
        <Card size="small" title={t('parcels.handoverOpen')} style={{ marginTop: 12 }}>
          <Input.Search value={lookupText} onChange={(e) => setLookupText(e.target.value)} onSearch={(v) => setLookupId(v.trim() || undefined)} enterButton={t('common.search')} />
          {looked.isError && <Alert type="error" showIcon style={{ marginTop: 8 }} title={t('common.loadFailed', { message: looked.error.message })} />}
        </Card>
      </Col>
      <Col xs={24} xl={14}>{shown && <HandoverView h={shown} />}</Col>
    </Row>
  );
}
