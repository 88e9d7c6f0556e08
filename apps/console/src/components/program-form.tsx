import { ApiError } from '@mycard/web-kit';
import { type FormEvent, useMemo, useRef, useState } from 'react';
import { useApp } from '../app-context.js';
import { useI18n } from '../i18n/i18n-context.js';
import { contrastRatio, isColor } from '../lib/colors.js';
import { draftKey, forgetDraft, keepDraft, takeDraft } from '../lib/kept-draft.js';
import type { PreparedLogo } from '../lib/prepare-logo.js';
import { LIMITS, type ProgramDraft, validateDraft } from '../lib/program-draft.js';
import { useMediaQuery } from '../lib/use-media-query.js';
import { CardFace } from './card-face.js';
import { CodeTypeField } from './code-type-field.js';
import { DetailEditor } from './detail-editor.js';
import { DetailPreview } from './detail-preview.js';
import { ErrorBox } from './error-box.js';
import { Field } from './field.js';
import { LogoField } from './logo-field.js';

/**
 * Create/edit form of a program with its live previews (card face, detail page). Problems show
 * under a field once it has been left or the form submitted; the first problem gets focus on submit.
 */
export function ProgramForm({
  initial,
  currentLogoSrc,
  mode,
  codeTypeLocked = false,
  access = 'all',
  channelId,
  onSubmit,
}: {
  initial: ProgramDraft;
  currentLogoSrc?: string | undefined;
  mode: 'create' | 'edit';
  /** Once a program has gone live its code type stays (the API refuses a change: 3004). */
  codeTypeLocked?: boolean;
  /**
   * What the operator's role may change (PROTOCOL.md §7): everything, only the technical settings
   * (a developer: code type, binding and webhook URLs, testers), or nothing (a viewer: no Save).
   */
  access?: 'all' | 'technical' | 'none';
  /** The program edited (undefined: the create form); names the draft kept across a sign-in. */
  channelId?: string | undefined;
  onSubmit(draft: ProgramDraft, logo: PreparedLogo | undefined): Promise<void>;
}) {
  const { t } = useI18n();
  const { operator } = useApp();
  const keptAs = operator ? draftKey(operator.id, channelId) : undefined;
  // A draft kept when the session ended during a Save comes back after signing in again.
  const [restored] = useState(() => (keptAs ? takeDraft(keptAs, initial) : undefined));
  const [draft, setDraft] = useState(restored ?? initial);
  const [logo, setLogo] = useState<PreparedLogo>();
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  // Wide screens keep both previews in a sticky side column; phones show each preview beside
  // the fields it depends on.
  const wide = useMediaQuery('(min-width: 960px)');

  const allErrors = useMemo(() => validateDraft(draft), [draft]);
  const errors = useMemo(
    () => Object.fromEntries(Object.entries(allErrors).filter(([field]) => submitted || touched.has(field))),
    [allErrors, submitted, touched],
  );
  const update = (patch: Partial<ProgramDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };
  const ratio = contrastRatio(draft.background, draft.foreground);
  const cardFace = (
    <CardFace
      name={draft.name}
      background={draft.background}
      foreground={draft.foreground}
      codeType={draft.codeType}
      logoBitmap={logo?.bitmap}
      logoSrc={currentLogoSrc}
    />
  );

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setFailure(undefined);
    if (Object.keys(allErrors).length > 0) {
      requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    setBusy(true);
    // Kept before the call: if the session has ended, the sign-in page replaces this form.
    if (keptAs) keepDraft(keptAs, draft);
    try {
      await onSubmit(draft, logo);
      if (keptAs) forgetDraft(keptAs);
      setSaved(mode === 'edit');
      setLogo(undefined);
    } catch (err) {
      if (keptAs && !(err instanceof ApiError && err.returnCode === '4001')) forgetDraft(keptAs);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={form}
      className="program-form"
      noValidate
      onSubmit={submit}
      onBlur={(e) => {
        const el: EventTarget = e.target;
        const name = el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.name : '';
        if (name)
          setTouched((s) =>
            new Set(s).add(name === 'bgHex' ? 'background' : name === 'fgHex' ? 'foreground' : name),
          );
      }}
    >
      {restored ? (
        <div className="alert alert-warning" role="status">
          <p>{t('form.draftRestored')}</p>
        </div>
      ) : null}
      <div className="form-layout">
        <div className="form-main">
          <fieldset className="bare" disabled={access !== 'all'}>
            <section className="panel">
              <h2>{t('form.section.basics')}</h2>
              <Field
                label={t('field.name')}
                hint={t('field.name.hint')}
                error={errors.name}
                counter={{ n: draft.name.length, max: LIMITS.name }}
              >
                {(control) => (
                  <input
                    {...control}
                    name="name"
                    autoComplete="organization"
                    value={draft.name}
                    onChange={(e) => update({ name: e.target.value })}
                  />
                )}
              </Field>
              <LogoField
                logo={logo}
                currentSrc={currentLogoSrc}
                onChange={(l) => {
                  setLogo(l);
                  setSaved(false);
                }}
              />
            </section>
          </fieldset>

          <fieldset className="bare" disabled={access === 'none'}>
            <section className="panel">
              <h2>{t('form.section.code')}</h2>
              <CodeTypeField
                value={draft.codeType}
                locked={codeTypeLocked}
                onChange={(codeType) => update({ codeType })}
              />
            </section>
          </fieldset>

          <fieldset className="bare" disabled={access !== 'all'}>
            <section className="panel">
              <h2>{t('form.section.colors')}</h2>
              <div className="color-row">
                {(['background', 'foreground'] as const).map((which) => (
                  <Field key={which} label={t(`field.${which}`)} error={errors[which]}>
                    {(control) => (
                      <div className="color-input">
                        <input
                          type="color"
                          aria-hidden="true"
                          tabIndex={-1}
                          value={isColor(draft[which]) ? draft[which].toLowerCase() : '#000000'}
                          onChange={(e) => update({ [which]: e.target.value })}
                        />
                        <input
                          {...control}
                          name={which === 'background' ? 'bgHex' : 'fgHex'}
                          className="mono"
                          spellCheck={false}
                          maxLength={7}
                          value={draft[which]}
                          onChange={(e) => update({ [which]: e.target.value })}
                        />
                      </div>
                    )}
                  </Field>
                ))}
              </div>
              {ratio !== undefined ? (
                <p className={ratio < 4.5 ? 'warning-text' : 'hint'}>
                  {t(ratio < 4.5 ? 'contrast.low' : 'contrast.ok', { ratio: ratio.toFixed(1) })}
                </p>
              ) : null}
              {wide ? null : (
                <div className="inline-preview">
                  <h3 className="preview-heading">{t('preview.card')}</h3>
                  {cardFace}
                </div>
              )}
            </section>
          </fieldset>

          <fieldset className="bare" disabled={access === 'none'}>
            <section className="panel">
              <h2>{t('form.section.binding')}</h2>
              <Field
                label={t('field.bindingUrl')}
                hint={t('field.bindingUrl.hint')}
                error={errors.bindingUrl}
              >
                {(control) => (
                  <input
                    {...control}
                    name="bindingUrl"
                    type="url"
                    inputMode="url"
                    placeholder="https://shop.example/mycard/bind"
                    value={draft.bindingUrl}
                    onChange={(e) => update({ bindingUrl: e.target.value })}
                  />
                )}
              </Field>
              <Field
                label={t('field.webhookUrl')}
                hint={t('field.webhookUrl.hint')}
                error={errors.webhookUrl}
                optional
              >
                {(control) => (
                  <input
                    {...control}
                    name="webhookUrl"
                    type="url"
                    inputMode="url"
                    placeholder="https://shop.example/mycard/webhook"
                    value={draft.webhookUrl}
                    onChange={(e) => update({ webhookUrl: e.target.value })}
                  />
                )}
              </Field>
            </section>
          </fieldset>

          <fieldset className="bare" disabled={access !== 'all'}>
            <section className="panel">
              <h2>{t('form.section.detail')}</h2>
              <DetailEditor draft={draft} errors={errors} update={update} />
              {wide ? null : (
                <div className="inline-preview">
                  <h3 className="preview-heading">{t('preview.detail')}</h3>
                  <DetailPreview draft={draft} />
                </div>
              )}
            </section>
          </fieldset>

          <fieldset className="bare" disabled={access === 'none'}>
            <section className="panel">
              <h2>{t('form.section.testers')}</h2>
              <Field
                label={t('field.testers')}
                hint={t('field.testers.hint')}
                error={errors.testers}
                optional
              >
                {(control) => (
                  <textarea
                    {...control}
                    name="testers"
                    className="mono"
                    rows={3}
                    spellCheck={false}
                    autoCapitalize="off"
                    placeholder="dev:alice"
                    value={draft.testers}
                    onChange={(e) => update({ testers: e.target.value })}
                  />
                )}
              </Field>
            </section>
          </fieldset>
        </div>

        {wide ? (
          <aside className="form-preview" aria-label={t('preview.title')}>
            <div className="preview-sticky">
              <h2 className="preview-heading">{t('preview.card')}</h2>
              {cardFace}
              <h2 className="preview-heading">{t('preview.detail')}</h2>
              <DetailPreview draft={draft} />
            </div>
          </aside>
        ) : null}
      </div>

      {access === 'none' ? null : (
        <div className="submit-bar">
          {failure ? <ErrorBox error={failure} /> : null}
          {submitted && Object.keys(allErrors).length > 0 ? (
            <p className="error-text" role="alert">
              {t('form.invalid')}
            </p>
          ) : null}
          {saved ? (
            <p className="success-text" role="status">
              {t('common.saved')}
            </p>
          ) : null}
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy
              ? t(mode === 'create' ? 'form.submit.creating' : 'common.saving')
              : t(mode === 'create' ? 'form.submit.create' : 'common.save')}
          </button>
        </div>
      )}
    </form>
  );
}
