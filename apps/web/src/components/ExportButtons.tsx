import { DownloadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { download, type QueryParams } from '../api/client.ts';
import { API } from '../api/hooks.ts';

/** Export the current list (same filters) as CSV or Excel: GET /api/v1/<resource>/export?format=. */
export function ExportButtons({ resource, params }: { resource: string; params: QueryParams }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async (format: 'csv' | 'xlsx') => {
    setBusy(true);
    try {
      const { limit: _l, offset: _o, ...filters } = params;
      await download(`${API}/${resource}/export`, { ...filters, format }, `${resource}.${format}`);
    } catch (e) {
      void message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dropdown
      menu={{
        items: [
          { key: 'xlsx', label: t('common.exportXlsx'), onClick: () => void run('xlsx') },
          { key: 'csv', label: t('common.exportCsv'), onClick: () => void run('csv') },
        ],
      }}
    >
      <Button icon={<DownloadOutlined />} loading={busy} data-testid={`export-${resource}`}>
        {t('common.export')}
      </Button>
    </Dropdown>
  );
}
