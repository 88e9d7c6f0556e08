import { useEffect, useState } from 'react';
import { useApp } from '../app/app-context.js';
import { useInbox } from '../app/inbox-context.js';
import { AppShell } from '../components/app-shell.js';
import { Link } from '../components/link.js';
import { ErrorPanel, Loading } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { formatDate } from '../lib/format.js';
import { safeHttpsUrl } from '../lib/safe-url.js';
import { navigate } from '../lib/use-route.js';
import { useProgramNames } from './inbox-screen.js';

/**
 * One message (PROTOCOL.md §11): its title and body shown as text (React renders strings as text,
 * never markup; line breaks kept by CSS), its link offered only when it is https, opened in a new
 * tab without a referrer. Opening it marks it read. "Mute" stops this card's messages.
 */
export function MessageScreen({ channelId, messageId }: { channelId: string; messageId: string }) {
  const { t, language } = useI18n();
  const { api } = useApp();
  const inbox = useInbox();
  const names = useProgramNames();
  const [muteError, setMuteError] = useState<unknown>(null);
  const message =
    inbox.state.status === 'ok'
      ? inbox.state.data.find((m) => m.channelId === channelId && m.messageId === messageId)
      : undefined;
  const unread = message !== undefined && !message.read;

  useEffect(() => {
    if (!unread) return;
    api.markRead(channelId, messageId).then(inbox.reload, () => undefined);
  }, [api, channelId, messageId, unread, inbox.reload]);

  async function mute(bindingId: string) {
    setMuteError(null);
    try {
      await api.mute(bindingId, true);
      inbox.reload();
      navigate({ name: 'inbox' }, { replace: true });
    } catch (error) {
      setMuteError(error);
    }
  }

  const url = message ? safeHttpsUrl(message.url) : undefined;
  const from = message ? (names.get(message.bindingId) ?? '') : '';
  return (
    <AppShell title={t('inbox.title')} back={{ name: 'inbox' }}>
      {inbox.state.status === 'loading' ? <Loading /> : null}
      {inbox.state.status === 'error' ? (
        <ErrorPanel error={inbox.state.error} onRetry={inbox.reload} />
      ) : null}
      {inbox.state.status === 'ok' && !message ? (
        <div className="panel center">
          <p>{t('inbox.notFound')}</p>
          <Link to={{ name: 'inbox' }} className="button primary">
            {t('inbox.back')}
          </Link>
        </div>
      ) : null}
      {message ? (
        <article className="stack message" data-testid="message">
          <header>
            <p className="message-from">{from}</p>
            <h2 className="message-heading" data-testid="message-title">
              {message.title}
            </h2>
            <p className="message-date">{formatDate(message.sentAt, language)}</p>
          </header>
          <p className="message-body" data-testid="message-body">
            {message.body}
          </p>
          {url ? (
            <a className="button primary block" href={url} target="_blank" rel="noopener noreferrer">
              {t('inbox.openLink')}
            </a>
          ) : null}
          {muteError ? (
            <p className="inline-error" role="alert">
              {t('inbox.muteFailed')}
            </p>
          ) : null}
          <button
            type="button"
            className="button secondary block"
            onClick={() => void mute(message.bindingId)}
          >
            {t('inbox.mute', { name: from })}
          </button>
        </article>
      ) : null}
    </AppShell>
  );
}
