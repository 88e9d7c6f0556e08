import { useAsync } from '@mycard/web-kit/react';
import { useState } from 'react';
import type { Notice } from '../admin/admin-types.js';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';

/**
 * The operator's notices (`GET /v1/console/notices`): review decisions with the administrators'
 * reasons, suspensions and reinstatements of its programs, newest first. Unread ones are marked
 * and can be marked read one by one.
 */
export function NoticesScreen({ onRead }: { onRead?: (() => void) | undefined }) {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const data = useAsync(async () => {
    try {
      const [{ notices }, { programs }] = await Promise.all([api.listNotices(), api.listPrograms()]);
      return { notices, names: new Map(programs.map((p) => [p.program.channelId, p.program.name])) };
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, 'notices');
  return (
    <div className="page">
      <div className="page-head">
        <div>
          <h1>{t('notices.title')}</h1>
          <p className="lead">{t('notices.lead')}</p>
        </div>
      </div>
      {data.loading && !data.data ? <Loading /> : null}
      {data.error ? <ErrorBox error={data.error} onRetry={data.reload} /> : null}
      {data.data && data.data.notices.length === 0 ? (
        <p className="panel muted">{t('notices.empty')}</p>
      ) : null}
      {data.data && data.data.notices.length > 0 ? (
        <ul className="notice-list">
          {data.data.notices.map((notice) => (
            <NoticeItem
              key={notice.noticeId}
              notice={notice}
              name={data.data?.names.get(notice.channelId) ?? notice.channelId}
              onRead={onRead}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function NoticeItem({
  notice,
  name,
  onRead,
}: {
  notice: Notice;
  name: string;
  onRead?: (() => void) | undefined;
}) {
  const { t, formatTime } = useI18n();
  const { api, checkSession } = useApp();
  const [read, setRead] = useState(notice.read);
  const [failure, setFailure] = useState<unknown>();
  const markRead = async () => {
    setFailure(undefined);
    try {
      await api.markNoticeRead(notice.noticeId);
      setRead(true);
      onRead?.();
    } catch (err) {
      checkSession(err);
      setFailure(err);
    }
  };
  const bad = notice.kind.endsWith('.rejected') || notice.kind === 'program.suspended';
  return (
    <li className={`panel notice${read ? '' : ' notice-unread'}${bad ? ' notice-bad' : ''}`}>
      <div className="notice-head">
        {read ? null : <span className="badge badge-live">{t('notices.unread')}</span>}
        <time className="muted" dateTime={notice.createdAt}>
          {formatTime(notice.createdAt)}
        </time>
      </div>
      <p className="notice-text">
        <a href={routeHref({ name: 'program', channelId: notice.channelId, tab: 'settings' })}>
          {t(`notices.kind.${notice.kind}`, { name })}
        </a>
      </p>
      {notice.reasons.length > 0 ? (
        <div className="notice-reasons">
          <h2 className="sr-only">{t('notices.reasons')}</h2>
          <ul>
            {notice.reasons.map((reason, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: reasons are a fixed list; two may be equal
              <li key={i}>{reason}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {read ? null : (
        <button type="button" className="btn btn-ghost btn-small" onClick={() => void markRead()}>
          {t('notices.markRead')}
        </button>
      )}
      {failure ? <ErrorBox error={failure} /> : null}
    </li>
  );
}
