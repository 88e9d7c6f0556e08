import { useState } from 'react';
import type { Card } from '../api/types.js';
import { AppShell } from '../components/app-shell.js';
import { CardFace } from '../components/card-face.js';
import '../components/report.css';
import { Link } from '../components/link.js';
import { ErrorPanel, Loading } from '../components/status.js';
import { useI18n } from '../i18n/i18n-context.js';
import { takeFlash } from '../lib/flash.js';
import { formatNumber } from '../lib/format.js';
import { useLive } from '../lib/use-live.js';

/** My cards: every ACTIVE card in its program's colours; an empty state that leads to "add a card". */
export function CardsScreen() {
  const [notice] = useState(takeFlash);
  const { t, language } = useI18n();
  // Live (§11): the list shows new points within seconds too.
  const { state, reload } = useLive('/v1/cards', (info) => (info as { cards: Card[] }).cards);

  return (
    <AppShell title={t('cards.title')}>
      {notice ? (
        <p className="toast" role="status">
          {notice}
        </p>
      ) : null}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <ErrorPanel error={state.error} onRetry={reload} /> : null}
      {state.status === 'ok' && state.data.length === 0 ? (
        <div className="empty">
          <div className="empty-art" aria-hidden="true">
            <span className="hero-card hero-card-1" />
            <span className="hero-card hero-card-2" />
          </div>
          <h2>{t('cards.emptyTitle')}</h2>
          <p className="muted">{t('cards.emptyBody')}</p>
          <Link to={{ name: 'add', query: '' }} className="button primary">
            {t('cards.add')}
          </Link>
        </div>
      ) : null}
      {state.status === 'ok' && state.data.length > 0 ? (
        <>
          <ul className="card-list">
            {state.data.map((card) => (
              <li key={card.bindingId}>
                <Link
                  to={{ name: 'card', bindingId: card.bindingId }}
                  className="card-link"
                  aria-label={t('cards.open', { name: card.program.name })}
                >
                  <CardFace program={card.program} size="compact" paused={card.paused}>
                    <span className="card-face-meta">
                      {card.paused ? (
                        <span className="card-face-paused">{t('card.pausedBadge')}</span>
                      ) : card.profile?.level ? (
                        <span className="chip">{card.profile.level}</span>
                      ) : (
                        <span />
                      )}
                      {typeof card.profile?.points === 'number' ? (
                        <span className="card-face-points">
                          {t('cards.points', { points: formatNumber(card.profile.points, language) })}
                        </span>
                      ) : null}
                    </span>
                  </CardFace>
                </Link>
              </li>
            ))}
          </ul>
          <Link to={{ name: 'add', query: '' }} className="button secondary block add-more">
            + {t('cards.add')}
          </Link>
        </>
      ) : null}
    </AppShell>
  );
}
