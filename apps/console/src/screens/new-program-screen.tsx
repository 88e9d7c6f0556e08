import { useState } from 'react';
import { useApp } from '../app-context.js';
import { ProgramForm } from '../components/program-form.js';
import { useI18n } from '../i18n/i18n-context.js';
import { emptyDraft, toNewProgramInput } from '../lib/program-draft.js';
import { routeHref } from '../lib/route.js';

/**
 * Registers a program; the platform answers with its channel id and the channel secret, which
 * the credentials page then shows once. The logo goes up right after, to the new channel id.
 */
export function NewProgramScreen() {
  const { t } = useI18n();
  const { api, navigate, checkSession, setIssuedSecret } = useApp();
  const [initial] = useState(emptyDraft);

  return (
    <div className="page">
      <p className="crumbs">
        <a href={routeHref({ name: 'programs' })}>← {t('common.back')}</a>
      </p>
      <div className="page-head">
        <div>
          <h1>{t('form.create.title')}</h1>
          <p className="lead">{t('form.create.lead')}</p>
        </div>
      </div>
      <ProgramForm
        mode="create"
        initial={initial}
        onSubmit={async (draft, logo) => {
          try {
            const created = await api.createProgram(toNewProgramInput(draft));
            const channelId = created.program.channelId;
            setIssuedSecret({ channelId, channelSecret: created.channelSecret });
            if (logo) {
              try {
                await api.uploadLogo(channelId, logo.blob);
              } catch {
                // The program exists: carry on to its page, which shows the logo is missing.
              }
            }
            navigate({ name: 'program', channelId, tab: 'credentials' });
          } catch (err) {
            checkSession(err);
            throw err;
          }
        }}
      />
    </div>
  );
}
