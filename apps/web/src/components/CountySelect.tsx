import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCounties } from '../api/hooks.ts';

export function CountySelect(props: { value?: string; onChange?: (value: string | undefined) => void; allowAll?: boolean; style?: React.CSSProperties; id?: string }) {
  const { t } = useTranslation();
  const counties = useCounties();
  return (
    <Select<string>
      id={props.id}
      data-testid="county-select"
      style={{ minWidth: 160, ...props.style }}
      allowClear={props.allowAll !== false}
      placeholder={t('common.allCounties')}
      loading={counties.isPending}
      value={props.value}
      onChange={(v) => props.onChange?.(v)}
      showSearch={{ optionFilterProp: 'label' }}
      options={(counties.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
    />
  );
}

/** County name from the cached county list (falls back to the code). */
export function useCountyName(): (code: string | undefined) => string {
  const counties = useCounties();
  return (code) => (code ? (counties.data?.find((c) => c.code === code)?.name ?? code) : '');
}
