import { SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Empty, Input, Space, Spin, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { LanguageSwitch } from '../../app/LanguageSwitch.tsx';
import { currentLang } from '../../i18n/index.ts';
import { normalizeWaybill, TrackError, useTrack, type TrackAnswer } from './api.ts';

// Public tracking for recipients (issue #4): /track (search box) and /track/:waybillNo (result),
// outside the login guard. Phone-first: one narrow column, no table. Labels of statuses and event
// types are the parcels page's (parcels.statuses / parcels.events).

/** Event times in Beijing time whatever the phone's zone is (the villages are all in it). */
function formatTime(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).format(new Date(iso));
}

function SearchBox({ initial }: { initial?: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [value, setValue] = useState(initial ?? '');
  const [bad, setBad] = useState(false);
  const submit = (raw: string) => {
    const w = normalizeWaybill(raw);
    setBad(w === null);
    if (w !== null) void navigate(`/track/${encodeURIComponent(w)}`);
  };
  return (
    <div>
      <Input.Search
        data-testid="track-input"
        id="track-input"
        size="large"
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          if (bad) setBad(false);
        }}
        onSearch={submit}
        placeholder={t('track.placeholder')}
        aria-label={t('track.placeholder')}
        inputMode="text"
        autoCapitalize="characters"
        autoComplete="off"
        spellCheck={false}
        allowClear
        status={bad ? 'error' : undefined}
        enterButton={<Button type="primary" size="large" icon={<SearchOutlined />} data-testid="track-submit">{t('track.submit')}</Button>}
      />
      {bad && <Typography.Text type="danger" data-testid="track-bad-input">{t('track.badInput')}</Typography.Text>}
    </div>
  );
}

function Result({ answer }: { answer: TrackAnswer }) {
  const { t, i18n } = useTranslation();
  // Inbound parcels' codes first, then the outbound ones (黔货出山), else the code itself.
  const label = (inbound: string, outbound: string, code: string) => (i18n.exists(inbound) ? t(inbound) : i18n.exists(outbound) ? t(outbound) : code);
  const lang = currentLang();
  // The API lists events oldest first in the domain's order; a recipient wants the newest on top.
  const events = [...answer.events].reverse();
  return (
    <Card size="small" data-testid="track-result" title={<span data-testid="track-waybill">{answer.waybillNo}</span>}>
      <Descriptions size="small" column={1} styles={{ label: { width: 88 } }}>
        <Descriptions.Item label={t('track.status')}>
          <strong data-testid="track-status">{label(`parcels.statuses.${answer.status}`, `track.outboundStatuses.${answer.status}`, answer.status)}</strong>
        </Descriptions.Item>
        <Descriptions.Item label={t('track.partner')}>{answer.partner}</Descriptions.Item>
        <Descriptions.Item label={t('track.destination')}>{answer.destination ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('track.recipient')}>
          <span data-testid="track-recipient">{`${answer.recipientName} ${answer.recipientPhone}`}</span>
        </Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 12 }}>
        {t('track.timeline')}
      </Typography.Title>
      {events.length === 0 ? (
        <Empty description={t('track.noEvents')} />
      ) : (
        <>
          <Timeline
            data-testid="track-timeline"
            items={events.map((e, i) => ({
              key: `${e.eventTime}-${e.type}-${i}`,
              color: i === 0 ? (e.type === 'delivered' || e.type === 'picked_up' ? 'green' : 'blue') : 'gray',
              content: (
                <div data-testid="track-event">
                  <strong>{label(`parcels.events.${e.type}`, `track.outboundEvents.${e.type}`, e.type)}</strong>
                  {e.place && <div>{e.place}</div>}
                  <Typography.Text type="secondary">{formatTime(e.eventTime, lang)}</Typography.Text>
                </div>
              ),
            }))}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('track.timeZone')}
          </Typography.Text>
        </>
      )}
    </Card>
  );
}

function Lookup({ waybill }: { waybill: string }) {
  const { t } = useTranslation();
  const q = useTrack(waybill);
  if (q.isPending) return <Spin style={{ display: 'block', margin: '32px auto' }} data-testid="track-loading" />;
  if (q.isError) {
    const f = q.error instanceof TrackError ? q.error.failure : null;
    const retry = (
      <Button size="small" onClick={() => void q.refetch()} loading={q.isFetching} data-testid="track-retry">
        {t('track.retry')}
      </Button>
    );
    if (f?.kind === 'not_found') return <Alert type="warning" showIcon data-testid="track-not-found" title={t('track.notFound', { waybill })} />;
    if (f?.kind === 'rate_limited') return <Alert type="warning" showIcon data-testid="track-rate-limited" title={t('track.tooMany')} action={retry} />;
    if (f?.kind === 'network') return <Alert type="error" showIcon data-testid="track-network" title={t('track.network')} action={retry} />;
    return <Alert type="error" showIcon data-testid="track-error" title={t('track.failed', { message: f?.kind === 'server' ? f.message : q.error.message })} action={retry} />;
  }
  return <Result answer={q.data} />;
}

export default function TrackPage() {
  const { t } = useTranslation();
  const params = useParams<{ waybillNo?: string }>();
  const raw = params.waybillNo;
  const waybill = raw === undefined ? null : normalizeWaybill(raw);
  return (
    <div style={{ minHeight: '100vh', background: '#f3f7f4' }} data-testid="track-page">
      <div style={{ maxWidth: 560, margin: '0 auto', padding: '12px 12px 32px' }}>
        <div style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', gap: 8, marginBottom: 8 }}>
          <Link to="/track" style={{ color: '#0b7a3e', fontWeight: 600, fontSize: 18 }}>
            {t('app.title')} · {t('track.title')}
          </Link>
          <LanguageSwitch />
        </div>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('track.hint')}</Typography.Text>
          {/* key: a new waybill in the address resets the box to it */}
          <SearchBox key={raw ?? ''} initial={raw ?? ''} />
          {raw !== undefined && waybill === null && <Alert type="error" showIcon data-testid="track-bad-input-route" title={t('track.badInput')} />}
          {waybill !== null && <Lookup waybill={waybill} />}
        </Space>
      </div>
    </div>
  );
}
