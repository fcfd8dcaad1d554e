import { EditOutlined, PlusOutlined, StopOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../../api/hooks.ts';
import { OUTLET_KINDS, OUTLET_SERVICES, type Outlet } from '../../api/types.ts';
import { useCountyName } from '../../components/CountySelect.tsx';
import { ExportButtons } from '../../components/ExportButtons.tsx';
import { ImportDialog } from '../../components/ImportDialog.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { ActiveTag } from '../../components/format.tsx';
import { OutletForm } from './OutletForm.tsx';

export default function OutletsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const countyName = useCountyName();
  const [editing, setEditing] = useState<{ outlet: Outlet | undefined } | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const deactivate = useAction('outlets', 'deactivate');

  const columns: ColumnsType<Outlet> = [
    { title: t('common.code'), dataIndex: 'code', width: 120 },
    { title: t('common.name'), dataIndex: 'name', render: (v: string, r) => <Tooltip title={r.id}>{v}</Tooltip> },
    { title: t('common.kind'), dataIndex: 'kind', render: (k: string) => t(`outlets.kinds.${k}`) },
    {
      title: t('common.county'),
      dataIndex: 'countyCode',
      render: (c: string) => (
        <span data-county={c} className="cell-county">
          {countyName(c)}
        </span>
      ),
    },
    {
      title: t('outlets.service'),
      dataIndex: 'services',
      render: (services: string[] | undefined) => (
        <Space size={[2, 2]} wrap style={{ maxWidth: 320 }}>
          {(services ?? []).map((s) => (
            <Tag key={s} color="blue">
              {t(`outlets.services.${s}`)}
            </Tag>
          ))}
        </Space>
      ),
    },
    { title: t('outlets.contactPhone'), dataIndex: 'contactPhone' },
    { title: t('common.status'), dataIndex: 'active', render: (a: boolean) => <ActiveTag active={a} /> },
    {
      title: t('common.actions'),
      key: 'actions',
      fixed: 'right',
      render: (_: unknown, r) => (
        <Space size={0}>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing({ outlet: r })}>
            {t('common.edit')}
          </Button>
          {r.active !== false && (
            <Popconfirm
              title={t('common.deactivateConfirm', { name: r.name })}
              onConfirm={async () => {
                try {
                  await deactivate.mutateAsync(r.id);
                  void message.success(t('common.deactivated'));
                } catch (e) {
                  void message.error(e instanceof Error ? e.message : String(e));
                }
              }}
            >
              <Button type="link" size="small" danger icon={<StopOutlined />}>
                {t('common.deactivate')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('outlets.title')}
      </Typography.Title>
      <ListPage<Outlet>
        resource="outlets"
        rowKey="id"
        columns={columns}
        filters={[
          { name: 'county', label: t('common.county'), kind: 'county' },
          { name: 'kind', label: t('common.kind'), kind: 'select', options: OUTLET_KINDS.map((k) => ({ value: k, label: t(`outlets.kinds.${k}`) })) },
          { name: 'service', label: t('outlets.service'), kind: 'select', width: 170, options: OUTLET_SERVICES.map((s) => ({ value: s, label: t(`outlets.services.${s}`) })) },
          {
            name: 'active',
            label: t('common.status'),
            kind: 'select',
            width: 110,
            options: [
              { value: 'true', label: t('common.active') },
              { value: 'false', label: t('common.inactive') },
            ],
          },
          { name: 'q', label: t('common.keyword'), kind: 'text' },
        ]}
        toolbar={(params) => (
          <>
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ outlet: undefined })} data-testid="outlet-create">
              {t('outlets.create')}
            </Button>
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="outlets-import">
              {t('common.import')}
            </Button>
            <ExportButtons resource="outlets" params={params} />
          </>
        )}
      />
      <OutletForm outlet={editing?.outlet} open={editing !== null} onClose={() => setEditing(null)} />
      <ImportDialog resource="outlets" resourceLabel={t('outlets.title')} open={importOpen} onClose={() => setImportOpen(false)} />
    </>
  );
}
