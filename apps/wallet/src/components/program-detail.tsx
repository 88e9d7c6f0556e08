import type { ProgramDetail } from '../api/types.js';
import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n-context.js';
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
 * an opener or referrer. A custom page becomes an "open" link.
 */
export function ProgramDetailView({ detail }: { detail: ProgramDetail | undefined }) {
  const { t } = useI18n();
  if (!detail) return null;
  if (detail.kind === 'custom') {
    const url = safeHttpUrl(detail.url);
    if (!url) return null;
    return (
      <section className="panel detail" aria-label={t('card.about')}>
        <a className="button secondary block" href={url} target="_blank" rel="noopener noreferrer">
          {t('card.openPage')} ↗
        </a>
      </section>
    );
  }
  const sections = SECTIONS.filter((s) => typeof detail[s.field] === 'string' && detail[s.field]!.trim());
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
