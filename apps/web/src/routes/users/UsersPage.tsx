import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Select, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFormErrors } from '../../api/form-errors.ts';
import { useSave } from '../../api/hooks.ts';
import type { Role, User } from '../../api/types.ts';
import { useCountyScope, useUser } from '../../app/auth.tsx';
import { CountySelect, useCountyName } from '../../components/CountySelect.tsx';
import { ListPage } from '../../components/ListPage.tsx';
import { ActiveTag } from '../../components/format.tsx';

const ROLES: Role[] = ['admin', 'county_manager', 'outlet_clerk', 'carrier', 'station_keeper', 'partner'];

function UserModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useUser();
  const { fixedCounty } = useCountyScope();
  const [form] = Form.useForm<User & { password: string }>();
  const save = useSave<User, Partial<User> & { password?: string }>('users');
  const [errors, setErrors] = useState<string[]>([]);
  const role = Form.useWatch('role', form);
  const roles = me.role === 'admin' ? ROLES : ROLES.filter((r) => r !== 'admin' && r !== 'partner');
  return (
    <Modal
      open={open}
      title={t('users.create')}
      onCancel={onClose}
      destroyOnHidden
      confirmLoading={save.isPending}
      onOk={async () => {
        const values = await form.validateFields();
        try {
          await save.mutateAsync({ body: { ...values, countyCode: fixedCounty ?? values.countyCode } });
          void message.success(t('common.saved'));
          onClose();
        } catch (e) {
          setErrors(applyFormErrors(form, e));
        }
      }}
    >
      {errors.length > 0 && <Alert type="error" showIcon title={errors.join('; ')} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" preserve={false} initialValues={{ role: 'outlet_clerk', countyCode: fixedCounty }}>
        <Form.Item name="username" label={t('users.username')} rules={[{ required: true }]}>
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="displayName" label={t('users.displayName')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="password" label={t('users.password')} rules={[{ required: true }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="role" label={t('users.role')} rules={[{ required: true }]}>
          <Select options={roles.map((r) => ({ value: r, label: t(`roles.${r}`) }))} />
        </Form.Item>
        {role !== 'admin' && role !== 'partner' && (
          <Form.Item name="countyCode" label={t('common.county')} hidden={Boolean(fixedCounty)}>
            <CountySelect allowAll={false} />
          </Form.Item>
        )}
        {(role === 'outlet_clerk' || role === 'station_keeper') && (
          <Form.Item name="outletId" label={t('users.outletId')}>
            <Input />
          </Form.Item>
        )}
        {role === 'partner' && (
          <Form.Item name="partnerCode" label={t('users.partnerCode')}>
            <Input />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export default function UsersPage() {
  const { t } = useTranslation();
  const countyName = useCountyName();
  const [open, setOpen] = useState(false);
  const columns: ColumnsType<User> = [
    { title: t('users.username'), dataIndex: 'username' },
    { title: t('users.displayName'), dataIndex: 'displayName' },
    { title: t('users.role'), dataIndex: 'role', render: (r: Role) => <Tag color={r === 'admin' ? 'blue' : undefined}>{t(`roles.${r}`)}</Tag> },
    { title: t('common.county'), dataIndex: 'countyCode', render: (c?: string) => countyName(c) },
    { title: t('users.outletId'), dataIndex: 'outletId', render: (v?: string) => v ?? '' },
    { title: t('users.partnerCode'), dataIndex: 'partnerCode', render: (v?: string) => v ?? '' },
    { title: t('common.status'), dataIndex: 'active', render: (a?: boolean) => <ActiveTag active={a} /> },
  ];
  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('users.title')}
      </Typography.Title>
      <ListPage<User>
        resource="users"
        rowKey="id"
        columns={columns}
        toolbar={() => (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
            {t('users.create')}
          </Button>
        )}
      />
      <UserModal open={open} onClose={() => setOpen(false)} />
    </>
  );
}
