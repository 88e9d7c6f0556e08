import type { MessageKey } from '../i18n/en.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { ProgramDraft } from '../lib/program-draft.js';
import { safeLinkHref } from '../lib/web-url.js';

/**
 * The detail page as wallet users will read it. Every merchant-supplied string is a React text
 * node (never innerHTML): `<script>` or `<img onerror>` in a field shows as the characters typed.
 * Links get an href only when they are absolute http(s) URLs; anything else is shown as text.
 */
export function DetailPreview({ draft }: { draft: ProgramDraft }) {
  const { t } = useI18n();
  if (draft.detailKind === 'custom') {
    const href = safeLinkHref(draft.customUrl);
    return (
      <div className="detail-preview" data-testid="detail-preview">
        <p className="muted">{t('preview.custom')}</p>
        {href ? (
          <a href={href} target="_blank" rel="noopener noreferrer" className="break">
            {draft.customUrl}
          </a>
        ) : (
          <p className="break">{draft.customUrl || '—'}</p>
        )}
      </div>
    );
  }
  const sections: [MessageKey, string][] = [
    ['field.description', draft.description],
    ['field.benefits', draft.benefits],
    ['field.terms', draft.terms],
    ['field.contact', draft.contact],
  ];
  const filled = sections.filter(([, text]) => text !== '');
  const links = draft.links.filter((l) => l.label !== '' || l.url !== '');
  return (
    <div className="detail-preview" data-testid="detail-preview">
      {filled.length === 0 && links.length === 0 ? <p className="muted">{t('preview.empty')}</p> : null}
      {filled.map(([key, text]) => (
        <section key={key}>
          <h4>{t(key)}</h4>
          <p className="prewrap">{text}</p>
        </section>
      ))}
      {links.length > 0 ? (
        <section>
          <h4>{t('field.links')}</h4>
          <ul className="link-list">
            {links.map((link, i) => {
              const href = safeLinkHref(link.url);
              const label = link.label || link.url;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: links have no id; order is their identity
                <li key={i}>
                  {href ? (
                    <a href={href} target="_blank" rel="noopener noreferrer">
                      {label}
                    </a>
                  ) : (
                    <span>
                      {label} <span className="muted">{t('preview.linkBlocked')}</span>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
