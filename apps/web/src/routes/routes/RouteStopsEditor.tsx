import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { useSave } from '../../api/hooks.ts';
import type { DeliveryRoute, Village } from '../../api/types.ts';

const DAYS = [1, 2, 3, 4, 5, 6, 7] as const;

interface DraftStop {
  key: string;
  villageCode: string;
  days: number[];
}

/**
 * Edits the ordered villages of a route and the weekly schedule (days per stop), then
 * PATCH /api/v1/routes/{id} {stops}; the server recomputes length and duration.
 */
export function RouteStopsEditor({ route, villages, onDone }: { route: DeliveryRoute; villages: Village[]; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const save = useSave<DeliveryRoute, { stops: { villageCode: string; days: number[] }[] }>('routes');
  const [draft, setDraft] = useState<DraftStop[]>(() =>
    [...route.stops].sort((a, b) => a.seq - b.seq).map((s) => ({ key: s.villageCode, villageCode: s.villageCode, days: [...s.days].sort((a, b) => a - b) })),
  );
  const [adding, setAdding] = useState<string | undefined>(undefined);
  const [errors, setErrors] = useState<string[]>([]);
  const byCode = new Map(villages.map((v) => [v.code, v]));
  const name = (code: string) => byCode.get(code)?.name ?? code;

  const move = (i: number, d: -1 | 1) =>
    setDraft((old) => {
      const next = [...old];
      const a = next[i];
      const b = next[i + d];
      if (!a || !b) return old;
      next[i] = b;
      next[i + d] = a;
      return next;
    });
  const toggle = (i: number, day: number, on: boolean) =>
    setDraft((old) => old.map((s, j) => (j !== i ? s : { ...s, days: on ? [...s.days, day].sort((a, b) => a - b) : s.days.filter((d) => d !== day) })));

  const columns: ColumnsType<DraftStop> = [
    { title: t('routes.seq'), key: 'seq', width: 56, render: (_: unknown, _s, i) => i + 1 },
    { title: t('routes.village'), dataIndex: 'villageCode', render: (c: string) => name(c) },
    ...DAYS.map((d) => ({
      title: t(`common.weekdayShort.${d}`),
      key: `d${d}`,
      width: 44,
      align: 'center' as const,
      render: (_: unknown, s: DraftStop, i: number) => (
        <Checkbox aria-label={`${name(s.villageCode)} ${t(`common.weekday.${d}`)}`} checked={s.days.includes(d)} onChange={(e) => toggle(i, d, e.target.checked)} />
      ),
    })),
    {
      title: t('common.actions'),
      key: 'actions',
      width: 120,
      render: (_: unknown, _s, i) => (
        <Space size={0}>
          <Button type="text" size="small" icon={<ArrowUpOutlined />} aria-label={t('routes.moveUp')} disabled={i === 0} onClick={() => move(i, -1)} />
          <Button type="text" size="small" icon={<ArrowDownOutlined />} aria-label={t('routes.moveDown')} disabled={i === draft.length - 1} onClick={() => move(i, 1)} />
          <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={t('routes.removeStop')} onClick={() => setDraft((old) => old.filter((_x, j) => j !== i))} />
        </Space>
      ),
    },
  ];

  const used = new Set(draft.map((s) => s.villageCode));
  const submit = async () => {
    setErrors([]);
    try {
      await save.mutateAsync({ id: route.id, body: { stops: draft.map((s) => ({ villageCode: s.villageCode, days: s.days })) } });
      void message.success(t('common.saved'));
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length) {
        // Paths like "body/stops/2/days" or "/stops/2/days": say which stop.
        setErrors(
          e.fieldErrors.map((f) => {
            const m = /stops(?:\/|\[)(\d+)/.exec(f.path);
            const stop = m?.[1] !== undefined ? draft[Number(m[1])] : undefined;
            return stop ? `${Number(m?.[1]) + 1}. ${name(stop.villageCode)}: ${f.message}` : `${f.path}: ${f.message}`;
          }),
        );
      } else setErrors([e instanceof Error ? e.message : String(e)]);
    }
  };

  return (
    <div data-testid="route-editor">
      {errors.length > 0 && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.saveFailed')} description={errors.join('; ')} />}
      <Table<DraftStop> size="small" rowKey="key" columns={columns} dataSource={draft} pagination={false} scroll={{ x: 'max-content' }} />
      <Space wrap style={{ marginTop: 12 }}>
        <Select<string>
          style={{ width: 260 }}
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('routes.addVillage')}
          value={adding}
          onChange={setAdding}
          options={villages.filter((v) => !used.has(v.code)).map((v) => ({ value: v.code, label: `${v.name} ${v.code}` }))}
        />
        <Button
          icon={<PlusOutlined />}
          disabled={!adding}
          onClick={() => {
            if (!adding) return;
            setDraft((old) => [...old, { key: adding, villageCode: adding, days: [...route.workingDays] }]);
            setAdding(undefined);
          }}
        >
          {t('routes.addStop')}
        </Button>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="primary" loading={save.isPending} disabled={draft.length === 0} onClick={() => void submit()} data-testid="route-save">
          {t('common.save')}
        </Button>
      </Space>
    </div>
  );
}
