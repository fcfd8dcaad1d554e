import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { AddressQueue } from './AddressQueue.tsx';
import { HandoverPanel } from './HandoverPanel.tsx';
import { ManifestUpload } from './ManifestUpload.tsx';
import { ParcelSearch } from './ParcelSearch.tsx';

const TABS = ['search', 'queue', 'manifest', 'handover'] as const;
type Tab = (typeof TABS)[number];

export default function ParcelsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(raw ?? '') ? (raw as Tab) : 'search';
  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('parcels.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'search', label: t('parcels.tabSearch'), children: <ParcelSearch /> },
          { key: 'queue', label: t('parcels.tabQueue'), children: <AddressQueue /> },
          { key: 'manifest', label: t('parcels.tabManifest'), children: <ManifestUpload /> },
          { key: 'handover', label: t('parcels.tabHandover'), children: <HandoverPanel /> },
        ]}
      />
    </>
  );
}
