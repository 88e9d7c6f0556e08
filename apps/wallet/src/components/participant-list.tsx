import type { ProgramView } from '../api/types.js';
import { useI18n } from '../i18n/i18n-context.js';
import { ProgramLogo } from './card-face.js';

/**
 * "Use this card at": a group program's participants (PROTOCOL.md §8) — the brands or stores where
 * the one card is used — with their names and logos (the initial on the program's colour when a
 * participant has no logo). Nothing for a program that is no group.
 */
export function ParticipantList({ program }: { program: Pick<ProgramView, 'participants' | 'colors'> }) {
  const { t } = useI18n();
  const participants = program.participants ?? [];
  if (participants.length === 0) return null;
  return (
    <section className="panel participants" aria-labelledby="participants-heading">
      <h2 id="participants-heading">{t('card.useAt')}</h2>
      <ul className="participant-list">
        {participants.map((p) => (
          <li key={p.participantId} className="participant">
            <ProgramLogo program={{ name: p.name, logoUrl: p.logoUrl, colors: program.colors }} size={36} />
            <span className="participant-name">{p.name}</span>
          </li>
        ))}
      </ul>
      <p className="muted small">{t('card.useAtHint', { count: participants.length })}</p>
    </section>
  );
}
