import { useEffect, useState } from 'react';
import type { ProgramDetail } from '../api/types.js';
import { useApp } from '../app/app-context.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n-context.js';
import { detailPageErrorKey, openDetailPage } from '../lib/detail-page.js';
import { friendlyError } from '../lib/friendly-error.js';
import { safeHttpUrl } from '../lib/safe-url.js';

const SECTIONS: { field: 'description' | 'benefits' | 'terms' | 'contact'; label: MessageKey }[] = [
  { field: 'description', label: 'card.description' },
  { field: 'benefits', label: 'card.benefits' },
  { field: 'terms', label: 'card.terms' },
  { field: 'contact', label: 'card.contact' },
];

/**
 * The program's detail page. Merchant text is rendered as React text nodes — never as HTML — with
 * line breaks kept by CSS; links appear only for absolute http(s) URLs and open in a new tab without
 * an opener or referrer. A custom page becomes an "open" action: on a card (`bindingId`) it opens the
 * page with a signed card context ({@link openDetailPage}); before the card exists (the program
 * page) there is no card to sign for, so it is a plain link.
 */
export function ProgramDetailView({
  detail,
  bindingId,
}: {
  detail: ProgramDetail | undefined;
  bindingId?: string;
}) {
  const { t } = useI18n();
  if (!detail) return null;
  if (detail.kind === 'custom') {
    const url = safeHttpUrl(detail.url);
    if (!url) return null;
    if (bindingId) return <CustomPageButton bindingId={bindingId} />;
    return (
      <section className="panel detail" aria-label={t('card.about')}>
        <a className="button secondary block" href={url} target="_blank" rel="noopener noreferrer">
          {t('card.openPage')} ↗
        </a>
      </section>
    );
  }
  const sections = SECTIONS.filter((s) => {
    const text = detail[s.field];
    return typeof text === 'string' && text.trim() !== '';
  });
  const links = (detail.links ?? [])
    .map((link) => ({ label: String(link.label ?? ''), url: safeHttpUrl(link.url) }))
    .filter((link): link is { label: string; url: string } => link.url !== undefined);
  if (sections.length === 0 && links.length === 0) return null;
  return (
    <section className="panel detail">
      <h2>{t('card.about')}</h2>
      {sections.map((s) => (
        <div className="detail-section" key={s.field}>
          <h3>{t(s.label)}</h3>
          <p className="prewrap">{detail[s.field]}</p>
        </div>
      ))}
      {links.length > 0 ? (
        <div className="detail-section">
          <h3>{t('card.links')}</h3>
          <ul className="links">
            {links.map((link) => (
              <li key={`${link.label}\n${link.url}`}>
                <a href={link.url} target="_blank" rel="noopener noreferrer">
                  {link.label || link.url} <span aria-hidden="true">↗</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

/** "Open the card's page": fetches a fresh detail link (signed card context) and follows it. */
function CustomPageButton({ bindingId }: { bindingId: string }) {
  const { t } = useI18n();
  const { api } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  // Coming back with the browser's Back button may restore this page from the back/forward cache
  // with the button still busy.
  useEffect(() => {
    const reset = (event: PageTransitionEvent) => {
      if (event.persisted) setBusy(false);
    };
    addEventListener('pageshow', reset);
    return () => removeEventListener('pageshow', reset);
  }, []);

  async function open() {
    setBusy(true);
    setError(null);
    try {
      await openDetailPage(api, bindingId);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  const reference = error ? friendlyError(error).supportReference : undefined;
  return (
    <section className="panel detail" aria-label={t('card.about')}>
      {error ? (
        <p className="inline-error" role="alert">
          {t(detailPageErrorKey(error))}{' '}
          {reference ? (
            <span className="support-ref">{t('common.supportRef', { ref: reference })}</span>
          ) : null}
        </p>
      ) : null}
      <button
        type="button"
        className="button secondary block"
        onClick={() => void open()}
        disabled={busy}
        aria-busy={busy}
      >
        {busy ? (
          t('card.openingPage')
        ) : (
          <>
            {t('card.openPage')} <span aria-hidden="true">↗</span>
          </>
        )}
      </button>
    </section>
  );
}
