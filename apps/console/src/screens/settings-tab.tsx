import { useState } from 'react';
import type { ProgramDetails } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ProgramForm } from '../components/program-form.js';
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
  const { program } = details;
  const [initial] = useState(() => draftFromProgram(program, details.testers));
  const [savedTesters, setSavedTesters] = useState(details.testers);

  return (
    <>
      <StatusPanel program={program} onChanged={() => onChanged(false)} />
      <ProgramForm
        key={program.channelId}
        mode="edit"
        channelId={program.channelId}
        codeTypeLocked={program.status !== 'DRAFT'}
        initial={initial}
        currentLogoSrc={logoSrcOf(program, logoVersion)}
        onSubmit={async (draft, logo) => {
          try {
            await api.updateProgram(program.channelId, toProgramPatch(draft));
            const testers = parseTesters(draft.testers);
            if (testers.join('\n') !== savedTesters.join('\n')) {
              await api.setTesters(program.channelId, testers);
              setSavedTesters(testers);
            }
            if (logo) await api.uploadLogo(program.channelId, logo.blob);
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
