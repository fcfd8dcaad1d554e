import { Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { OrdersPanel } from './OrdersPanel.tsx';
import { PickupTasksPanel } from './PickupTasksPanel.tsx';
import { ShippersPanel } from './ShippersPanel.tsx';
import { SummaryPanel } from './SummaryPanel.tsx';
import { TariffsPanel } from './TariffsPanel.tsx';

const TABS = ['summary', 'shippers', 'tariffs', 'orders', 'pickups'] as const;
type Tab = (typeof TABS)[number];

export default function OutboundPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: Tab = (TABS as readonly string[]).includes(raw ?? '') ? (raw as Tab) : 'summary';
  return (
    <>
      <Typography.Title level={4} className="page-title">
        {t('outbound.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setParams({ tab: k }, { replace: true })}
        destroyOnHidden
        items={[
          { key: 'summary', label: t('outbound.tabSummary'), children: <SummaryPanel /> },
          { key: 'shippers', label: t('outbound.tabShippers'), children: <ShippersPanel /> },
          { key: 'tariffs', label: t('outbound.tabTariffs'), children: <TariffsPanel /> },
          { key: 'orders', label: t('outbound.tabOrders'), children: <OrdersPanel /> },
          { key: 'pickups', label: t('outbound.tabPickups'), children: <PickupTasksPanel /> },
        ]}
      />
    </>
  );
}
