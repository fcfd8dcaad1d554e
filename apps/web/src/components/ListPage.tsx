import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Select, Table, Typography, type TableProps } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueryParams } from '../api/client.ts';
import { useList } from '../api/hooks.ts';
import { useCountyScope } from '../app/auth.tsx';
import { CountySelect } from './CountySelect.tsx';

export interface FilterField {
  name: string;
  label: string;
  kind: 'text' | 'select' | 'county';
  options?: { value: string; label: string }[];
  placeholder?: string;
  width?: number;
}

export interface ListPageProps<T> {
  /** GET /api/v1/<resource> with ?limit&offset and the filters → {items, total}. */
  resource: string;
  title?: ReactNode;
  columns: ColumnsType<T>;
  rowKey: string | ((row: T) => string);
  filters?: FilterField[];
  /** Parameters always sent (e.g. a parent id). */
  fixedParams?: QueryParams;
  /** Extra toolbar content; receives the current query (for export buttons). */
  toolbar?: (params: QueryParams) => ReactNode;
  expandable?: TableProps<T>['expandable'];
  pageSize?: number;
}

/**
 * Generic list page: filters (a county filter is pinned to the user's county for county managers),
 * server pagination (limit/offset), total, and a toolbar.
 */
export function ListPage<T extends object>(props: ListPageProps<T>) {
  const { t } = useTranslation();
  const { fixedCounty, canChooseCounty } = useCountyScope();
  const [form] = Form.useForm<Record<string, string | undefined>>();
  const [filterValues, setFilterValues] = useState<Record<string, string | undefined>>({});
  const [page, setPage] = useState({ current: 1, pageSize: props.pageSize ?? 20 });

  const hasCounty = props.filters?.some((f) => f.kind === 'county') ?? false;
  const params = useMemo<QueryParams>(() => {
    const p: QueryParams = { ...props.fixedParams, ...filterValues, limit: page.pageSize, offset: (page.current - 1) * page.pageSize };
    if (hasCounty && fixedCounty) p.county = fixedCounty;
    return p;
  }, [props.fixedParams, filterValues, page, hasCounty, fixedCounty]);

  const list = useList<T>(props.resource, params);
  const visibleFilters = (props.filters ?? []).filter((f) => f.kind !== 'county' || canChooseCounty);

  const apply = (values: Record<string, string | undefined>) => {
    const cleaned: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') cleaned[k] = String(v).trim();
    setFilterValues(cleaned);
    setPage((p) => ({ ...p, current: 1 }));
  };

  return (
    <Card size="small" title={props.title} data-testid={`list-${props.resource}`}>
      <div className="toolbar">
        {visibleFilters.length > 0 && (
          <Form form={form} layout="inline" className="filters" onFinish={apply}>
            {visibleFilters.map((f) => (
              <Form.Item key={f.name} name={f.name} label={f.label}>
                {f.kind === 'county' ? (
                  <CountySelect style={{ width: f.width ?? 160 }} />
                ) : f.kind === 'select' ? (
                  <Select allowClear placeholder={f.placeholder ?? t('common.all')} style={{ width: f.width ?? 150 }} options={f.options} data-testid={`filter-${f.name}`} />
                ) : (
                  <Input allowClear placeholder={f.placeholder} style={{ width: f.width ?? 180 }} data-testid={`filter-${f.name}`} />
                )}
              </Form.Item>
            ))}
            <Form.Item>
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                {t('common.search')}
              </Button>
            </Form.Item>
            <Form.Item>
              <Button
                onClick={() => {
                  form.resetFields();
                  apply({});
                }}
              >
                {t('common.reset')}
              </Button>
            </Form.Item>
          </Form>
        )}
        <div className="toolbar-right">
          {props.toolbar?.(params)}
          <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} aria-label={t('common.reload')} />
        </div>
      </div>
      {list.isError && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t('common.loadFailed', { message: list.error.message })} />}
      <Table<T>
        data-testid="list-table"
        size="small"
        rowKey={props.rowKey as TableProps<T>['rowKey']}
        columns={props.columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        expandable={props.expandable}
        scroll={{ x: 'max-content' }}
        pagination={{
          current: page.current,
          pageSize: page.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => <Typography.Text data-testid="list-total">{t('common.total', { count: total })}</Typography.Text>,
          onChange: (current, pageSize) => setPage({ current, pageSize }),
        }}
      />
    </Card>
  );
}
