import { useState } from 'react';
import type { ProgramDetails } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ProgramForm } from '../components/program-form.js';
import { useI18n } from '../i18n/i18n-context.js';
import { logoSrcOf } from '../lib/logo-src.js';
import { draftFromProgram, parseTesters, toProgramPatch } from '../lib/program-draft.js';
import { StatusPanel } from './status-panel.js';

/** Status controls and the edit form; testers and the logo are saved by their own calls. */
export function SettingsTab({
  details,
  logoVersion,
  onChanged,
}: {
  details: ProgramDetails;
  logoVersion: number | undefined;
  onChanged(logoChanged: boolean): void;
}) {
  const { api, checkSession } = useApp();
  const { t } = useI18n();
  const { program, role } = details;
  // What the role may change (PROTOCOL.md §7; docs/console-api.md): owners and admins everything,
  // developers the technical settings, viewers nothing.
  const access = role === 'owner' || role === 'admin' ? 'all' : role === 'developer' ? 'technical' : 'none';
  const [initial] = useState(() => draftFromProgram(program, details.testers));
  const [savedTesters, setSavedTesters] = useState(details.testers);

  return (
    <>
      <StatusPanel program={program} canChange={access === 'all'} onChanged={() => onChanged(false)} />
      {access !== 'all' ? (
        <p className="alert alert-warning" role="note" data-testid="role-note">
          {access === 'none'
            ? t('settings.readOnly', { role: t(`role.${role}`) })
            : t('settings.technicalOnly')}
        </p>
      ) : null}
      <ProgramForm
        key={program.channelId}
        mode="edit"
        channelId={program.channelId}
        codeTypeLocked={program.status !== 'DRAFT'}
        access={access}
        initial={initial}
        currentLogoSrc={logoSrcOf(program, logoVersion)}
        onSubmit={async (draft, logo) => {
          try {
            const patch = toProgramPatch(draft);
            await api.updateProgram(
              program.channelId,
              access === 'all'
                ? patch
                : { codeType: patch.codeType, bindingUrl: patch.bindingUrl, webhookUrl: patch.webhookUrl },
            );
            const testers = parseTesters(draft.testers);
            if (testers.join('\n') !== savedTesters.join('\n')) {
              await api.setTesters(program.channelId, testers);
              setSavedTesters(testers);
            }
            if (logo && access === 'all') await api.uploadLogo(program.channelId, logo.blob);
            onChanged(Boolean(logo));
          } catch (err) {
            checkSession(err);
            throw err;
          }
        }}
      />
    </>
  );
}
