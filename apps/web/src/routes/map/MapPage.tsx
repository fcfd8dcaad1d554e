import { Alert, Card, Space, Typography } from 'antd';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNetworkMap } from '../../api/hooks.ts';
import { useTileUrl } from '../../map/tiles.ts';
import { useCountyScope } from '../../app/auth.tsx';
import { PageFallback } from '../../app/PageFallback.tsx';
import { CountySelect } from '../../components/CountySelect.tsx';
import { BUS_COLOR, outletIconHtml, OUTLET_STYLE, ROUTE_COLOR, VILLAGE_LOW, VILLAGE_OK } from '../../map/style.ts';

const loadNetworkMap = () => import('../../map/NetworkMap.tsx');
const NetworkMap = lazy(loadNetworkMap);

export default function MapPage() {
  const { t } = useTranslation();
  const { fixedCounty, canChooseCounty } = useCountyScope();
  const [county, setCounty] = useState<string | undefined>(undefined);
  const network = useNetworkMap(fixedCounty ?? county);
  const tiles = useTileUrl();
  // Fetch Leaflet while the network data is on its way.
  useEffect(() => {
    void loadNetworkMap();
  }, []);

  const counts = useMemo(() => {
    const c = { village: 0, outlet: 0, route: 0, bus_line: 0 };
    for (const f of network.data?.features ?? []) {
      const k = f.properties.type;
      if (k === 'village' || k === 'outlet' || k === 'route' || k === 'bus_line') c[k] += 1;
    }
    return c;
  }, [network.data]);

  return (
    <div data-testid="map-page">
      <div className="toolbar">
        <Typography.Title level={4} className="page-title" style={{ margin: 0 }}>
          {t('map.title')}
        </Typography.Title>
        <Typography.Text type="secondary" data-testid="map-counts">
          {t('map.features', { villages: counts.village, outlets: counts.outlet, routes: counts.route, bus: counts.bus_line })}
        </Typography.Text>
        <div className="toolbar-right">{canChooseCounty && <CountySelect value={county} onChange={setCounty} />}</div>
      </div>
      {network.isError && <Alert type="error" showIcon title={t('common.loadFailed', { message: network.error.message })} style={{ marginBottom: 12 }} />}
      <div style={{ position: 'relative' }}>
        <div className="map-box">
          {tiles.ready && network.data ? (
            <Suspense fallback={<PageFallback />}>
              <NetworkMap data={network.data} tileUrl={tiles.tileUrl} tileAttribution={tiles.attribution} />
            </Suspense>
          ) : (
            <PageFallback />
          )}
        </div>
        <Card size="small" className="map-legend" style={{ position: 'absolute', right: 12, bottom: 12, zIndex: 500 }} title={t('map.legend')}>
          <Space orientation="vertical" size={0}>
            <span><i style={{ background: VILLAGE_OK, borderRadius: '50%' }} />{t('map.villageOk')}</span>
            <span><i style={{ background: VILLAGE_LOW, borderRadius: '50%' }} />{t('map.villageLow')}</span>
            {Object.keys(OUTLET_STYLE).map((k) => (
              <span key={k} style={{ display: 'flex', alignItems: 'center', gap: 6 }}>
                <span style={{ width: 16, display: 'inline-flex', justifyContent: 'center' }} dangerouslySetInnerHTML={{ __html: outletIconHtml(k) }} />
                {t(`outlets.kinds.${k}`)}
              </span>
            ))}
            <span><i style={{ background: ROUTE_COLOR, height: 3 }} />{t('map.route')}</span>
            <span><i style={{ borderTop: `3px dashed ${BUS_COLOR}`, height: 0 }} />{t('map.busLine')}</span>
            {!tiles.tileUrl && <Typography.Text type="secondary" style={{ fontSize: 11 }}>{t('map.noTiles')}</Typography.Text>}
          </Space>
        </Card>
      </div>
    </div>
  );
}
