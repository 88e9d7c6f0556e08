import { useI18n } from '../i18n/i18n-context.js';
import { type DraftErrors, LIMITS, type ProgramDraft, type TemplateField } from '../lib/program-draft.js';
import { Field } from './field.js';

/** The detail page: the template's texts and links, or the URL of the merchant's own page. */
export function DetailEditor({
  draft,
  errors,
  update,
}: {
  draft: ProgramDraft;
  errors: DraftErrors;
  update(patch: Partial<ProgramDraft>): void;
}) {
  const { t } = useI18n();
  const textarea = (field: TemplateField, rows: number) => (
    <Field
      label={t(`field.${field}`)}
      optional
      error={errors[field]}
      counter={{ n: draft[field].length, max: LIMITS[field] }}
    >
      {(control) => (
        <textarea
          {...control}
          name={field}
          rows={rows}
          value={draft[field]}
          onChange={(e) => update({ [field]: e.target.value })}
        />
      )}
    </Field>
  );
  const setLink = (i: number, patch: Partial<{ label: string; url: string }>) =>
    update({ links: draft.links.map((l, j) => (j === i ? { ...l, ...patch } : l)) });

  return (
    <>
      <fieldset className="segmented">
        <legend className="sr-only">{t('detail.kind')}</legend>
        {(['template', 'custom'] as const).map((kind) => (
          <label key={kind} className={draft.detailKind === kind ? 'segment segment-selected' : 'segment'}>
            <input
              type="radio"
              name="detailKind"
              value={kind}
              checked={draft.detailKind === kind}
              onChange={() => update({ detailKind: kind })}
            />
            <span>{t(`detail.kind.${kind}`)}</span>
          </label>
        ))}
      </fieldset>
      {draft.detailKind === 'custom' ? (
        <Field label={t('field.customUrl')} hint={t('field.customUrl.hint')} error={errors.customUrl}>
          {(control) => (
            <input
              {...control}
              name="customUrl"
              type="url"
              inputMode="url"
              autoComplete="url"
              placeholder="https://shop.example/members"
              value={draft.customUrl}
              onChange={(e) => update({ customUrl: e.target.value })}
            />
          )}
        </Field>
      ) : (
        <>
          {textarea('description', 3)}
          {textarea('benefits', 3)}
          {textarea('terms', 4)}
          {textarea('contact', 2)}
          <fieldset className="field links-field">
            <legend>
              {t('field.links')} <span className="optional">({t('common.optional')})</span>
            </legend>
            {draft.links.map((link, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: links have no id; order is their identity
              <div className="link-row" key={i}>
                <Field label={t('links.label')} error={errors[`links.${i}.label`]}>
                  {(control) => (
                    <input
                      {...control}
                      name={`links.${i}.label`}
                      value={link.label}
                      onChange={(e) => setLink(i, { label: e.target.value })}
                    />
                  )}
                </Field>
                <Field label={t('links.url')} error={errors[`links.${i}.url`]}>
                  {(control) => (
                    <input
                      {...control}
                      name={`links.${i}.url`}
                      type="url"
                      inputMode="url"
                      placeholder="https://"
                      value={link.url}
                      onChange={(e) => setLink(i, { url: e.target.value })}
                    />
                  )}
                </Field>
                <button
                  type="button"
                  className="btn btn-ghost btn-small link-remove"
                  aria-label={t('links.remove', { n: i + 1 })}
                  onClick={() => update({ links: draft.links.filter((_, j) => j !== i) })}
                >
                  ✕
                </button>
              </div>
            ))}
            {errors.links ? <p className="error-text">{t(errors.links.key, errors.links.params)}</p> : null}
            {draft.links.length < LIMITS.links ? (
              <button
                type="button"
                className="btn btn-secondary btn-small"
                onClick={() => update({ links: [...draft.links, { label: '', url: '' }] })}
              >
                + {t('links.add')}
              </button>
            ) : null}
          </fieldset>
        </>
      )}
    </>
  );
}
