import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

export function fenToYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  return (fen / 100).toFixed(2);
}

export function Fen({ value }: { value: number | null | undefined }) {
  const { t } = useTranslation();
  if (value === null || value === undefined) return null;
  return <>{t('common.fen', { yuan: fenToYuan(value) })}</>;
}

/** Weekdays 1 (Mon) … 7 (Sun) as short tags. */
export function WeekdayTags({ days }: { days: readonly number[] | undefined }) {
  const { t } = useTranslation();
  return (
    <>
      {[...(days ?? [])].sort((a, b) => a - b).map((d) => (
        <Tag key={d} style={{ marginInlineEnd: 2 }}>
          {t(`common.weekdayShort.${d}`)}
        </Tag>
      ))}
    </>
  );
}

export function ActiveTag({ active }: { active: boolean | undefined }) {
  const { t } = useTranslation();
  return active === false ? <Tag>{t('common.inactive')}</Tag> : <Tag color="green">{t('common.active')}</Tag>;
}

export function formatDurationS(s: number | undefined): string {
  if (s === undefined || s === null) return '';
  const total = Math.round(s / 60);
  const h = Math.floor(total / 60);
  const m = total % 60;
  return `${h}:${String(m).padStart(2, '0')}`;
}

export function formatKm(m: number | undefined): string {
  if (m === undefined || m === null) return '';
  return (m / 1000).toFixed(1);
}
