import type { Card } from '../api/types.js';
import { useInbox } from '../app/inbox-context.js';
import { AppShell } from '../components/app-shell.js';
import { Link } from '../components/link.js';
import { ErrorPanel, Loading } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatDate } from '../lib/format.js';
import { useLive } from '../lib/use-live.js';

/** The inbox (PROTOCOL.md §11): messages from the user's cards, newest first, unread ones marked. */
export function InboxScreen() {
  const { t, language } = useI18n();
  const inbox = useInbox();
  const names = useProgramNames();
  return (
    <AppShell title={t('inbox.title')}>
      {inbox.state.status === 'loading' ? <Loading /> : null}
      {inbox.state.status === 'error' ? (
        <ErrorPanel error={inbox.state.error} onRetry={inbox.reload} />
      ) : null}
      {inbox.state.status === 'ok' && inbox.state.data.length === 0 ? (
        <div className="panel center">
          <h2>{t('inbox.emptyTitle')}</h2>
          <p>{t('inbox.emptyBody')}</p>
        </div>
      ) : null}
      {inbox.state.status === 'ok' && inbox.state.data.length > 0 ? (
        <ul className="message-list">
          {inbox.state.data.map((m) => (
            <li key={`${m.channelId}/${m.messageId}`}>
              <Link
                to={{ name: 'message', channelId: m.channelId, messageId: m.messageId }}
                className={m.read ? 'message-row' : 'message-row unread'}
              >
                <span className="message-row-head">
                  <span className="message-from">{names.get(m.bindingId) ?? ''}</span>
                  <span className="message-date">{formatDate(m.sentAt, language)}</span>
                </span>
                <span className="message-title">
                  {m.read ? null : <span className="visually-hidden">{t('inbox.unread')} </span>}
                  {m.title}
                </span>
                <span className="message-preview">{m.body}</span>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </AppShell>
  );
}

/** The program name of each of the user's cards, by binding id (the inbox names the sender). */
export function useProgramNames(): Map<string, string> {
  const { state } = useLive('/v1/cards', (info) => (info as { cards: Card[] }).cards);
  return new Map(state.status === 'ok' ? state.data.map((c) => [c.bindingId, c.program.name]) : []);
}
