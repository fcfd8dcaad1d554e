import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { LANGS, currentLang, setLang, type Lang } from '../i18n/index.ts';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  void i18n.language; // re-render on change
  return (
    <Select<Lang>
      aria-label={t('app.language')}
      data-testid="lang-switch"
      className="lang-switch"
      size="small"
      variant="borderless"
      prefix={<GlobalOutlined />}
      value={currentLang()}
      options={LANGS}
      onChange={(lang) => void setLang(lang)}
      popupMatchSelectWidth={false}
    />
  );
}
