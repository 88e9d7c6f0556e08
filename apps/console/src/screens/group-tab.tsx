import { useAsync } from '@mycard/web-kit/react';
import { type FormEvent, useState } from 'react';
import type { ConsoleParticipant, ProgramDetails } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ConfirmPanel } from '../components/confirm.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { LogoImage } from '../components/logo-image.js';
import { SecretValue } from '../components/secret-value.js';
import { useI18n } from '../i18n/i18n-context.js';
import { prepareLogo } from '../lib/prepare-logo.js';
import { useAction } from '../lib/use-action.js';

/** Roles that manage participants and those that may see their secrets (PROTOCOL.md §7, §8). */
const MANAGERS = ['owner', 'admin'];
const SECRET_USERS = ['owner', 'admin', 'developer'];

/**
 * A group program (PROTOCOL.md §8): make the program one, then its participants — the brands or
 * stores where its one card is used, each with its own channel id and secret (shown once after it
 * is added, revealable and rotatable like the program's), a logo and a status (a SUSPENDED
 * participant's channel is refused). Viewers see the list without secrets or actions.
 */
export function GroupTab({ details }: { details: ProgramDetails }) {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const channelId = details.program.channelId;
  const list = useAsync(async () => {
    try {
      return await api.listParticipants(channelId);
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, channelId);
  const [issued, setIssued] = useState<{ participantId: string; channelSecret: string }>();
  const { busy, failure, run } = useAction();
  const [name, setName] = useState('');
  const manages = MANAGERS.includes(details.role);

  const makeGroup = () =>
    run(async () => {
      await api.makeGroup(channelId);
      list.reload();
    });
  const add = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const created = await api.addParticipant(channelId, name.trim());
      setIssued({ participantId: created.participant.participantId, channelSecret: created.channelSecret });
      setName('');
      list.reload();
    });
  };

  if (list.loading && !list.data) return <Loading />;
  if (list.error && !list.data) return <ErrorBox error={list.error} onRetry={list.reload} />;
  const data = list.data;
  if (!data) return null;

  if (!data.group) {
    return (
      <section className="panel stack">
        <h2>{t('group.title')}</h2>
        <p>{t('group.intro')}</p>
        {manages ? (
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void makeGroup()}>
            {t('group.make')}
          </button>
        ) : (
          <p className="hint">{t('group.notGroup')}</p>
        )}
        {failure ? <ErrorBox error={failure} /> : null}
      </section>
    );
  }

  return (
    <div className="stack-lg">
      <section className="panel stack">
        <h2>{t('group.participants')}</h2>
        <p className="hint">{t('group.participants.hint')}</p>
        {data.participants.length === 0 ? <p className="muted">{t('group.none')}</p> : null}
        <ul className="participant-rows">
          {data.participants.map((p) => (
            <ParticipantRow
              key={p.participantId}
              channelId={channelId}
              participant={p}
              role={details.role}
              issuedSecret={issued?.participantId === p.participantId ? issued.channelSecret : undefined}
              onChanged={list.reload}
            />
          ))}
        </ul>
      </section>
      {manages ? (
        <section className="panel">
          <h2>{t('group.add')}</h2>
          <form className="stack" onSubmit={add}>
            <label htmlFor="participant-name">{t('group.name')}</label>
            <input
              id="participant-name"
              value={name}
              maxLength={64}
              required
              onChange={(e) => setName(e.target.value)}
            />
            <button type="submit" className="btn btn-primary" disabled={busy || name.trim() === ''}>
              {t('group.addButton')}
            </button>
          </form>
          {failure ? <ErrorBox error={failure} /> : null}
        </section>
      ) : null}
    </div>
  );
}

function ParticipantRow({
  channelId,
  participant: p,
  role,
  issuedSecret,
  onChanged,
}: {
  channelId: string;
  participant: ConsoleParticipant;
  role: string;
  issuedSecret: string | undefined;
  onChanged(): void;
}) {
  const { t, formatTime } = useI18n();
  const { api } = useApp();
  const [secret, setSecret] = useState<string | undefined>(issuedSecret);
  const [rotatedUntil, setRotatedUntil] = useState<string>();
  const [confirmRotate, setConfirmRotate] = useState(false);
  const { busy, failure, run } = useAction();
  const [logoVersion, setLogoVersion] = useState<number>();
  const manages = MANAGERS.includes(role);
  const usesSecrets = SECRET_USERS.includes(role);

  const suspended = p.status === 'SUSPENDED';
  const logoSrc = p.logoUrl ? `${p.logoUrl}${logoVersion ? `?v=${logoVersion}` : ''}` : undefined;

  return (
    <li className="participant-row" data-testid={`participant-${p.name}`}>
      <div className="participant-head">
        <span className="participant-logo" aria-hidden="true">
          <LogoImage src={logoSrc} className="head-logo" initial={p.name} />
        </span>
        <div>
          <h3 className="participant-title">{p.name}</h3>
          <span className={`badge badge-${suspended ? 'suspended' : 'live'}`}>
            {t(`group.status.${p.status}`)}
          </span>
        </div>
      </div>
      {issuedSecret && secret === issuedSecret ? (
        <div className="alert alert-warning" role="status">
          <p>{t('group.once')}</p>
        </div>
      ) : null}
      <dl className="participant-facts">
        <dt>{t('cred.channelId')}</dt>
        <dd className="value-row">
          <code className="value mono">{p.channelId}</code>
          <CopyButton text={p.channelId} label={`${t('common.copy')}: ${t('cred.channelId')} ${p.name}`} />
        </dd>
        {usesSecrets ? (
          <>
            <dt>{t('cred.secret')}</dt>
            <dd>
              {secret ? (
                <SecretValue
                  secret={secret}
                  testId="participant-secret"
                  copyLabel={`${t('common.copy')}: ${t('cred.secret')} ${p.name}`}
                  onHide={() => setSecret(undefined)}
                />
              ) : (
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  disabled={busy}
                  onClick={() =>
                    void run(async () =>
                      setSecret(
                        (await api.revealParticipantSecret(channelId, p.participantId)).channelSecret,
                      ),
                    )
                  }
                >
                  {t('cred.reveal')}
                </button>
              )}
              <p className="hint">{t('cred.issued', { time: formatTime(p.secret.createdAt) })}</p>
              {(rotatedUntil ?? p.secret.previousExpiresAt) ? (
                <p className="warning-text">
                  {t('cred.previousUntil', {
                    time: formatTime(rotatedUntil ?? p.secret.previousExpiresAt ?? ''),
                  })}
                </p>
              ) : null}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="button-row">
        {usesSecrets && !confirmRotate ? (
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={busy}
            onClick={() => setConfirmRotate(true)}
          >
            {t('cred.rotate')}
          </button>
        ) : null}
        {manages ? (
          <button
            type="button"
            className="btn btn-secondary btn-small"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await api.updateParticipant(channelId, p.participantId, {
                  status: suspended ? 'ACTIVE' : 'SUSPENDED',
                });
                onChanged();
              })
            }
          >
            {t(suspended ? 'group.reinstate' : 'group.suspend')}
          </button>
        ) : null}
        {manages ? (
          <label className="btn btn-ghost btn-small file-button">
            {t('group.logo')}
            <input
              type="file"
              accept="image/png,image/jpeg,image/webp"
              aria-label={`${t('group.logo')}: ${p.name}`}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (!file) return;
                void run(async () => {
                  const prepared = await prepareLogo(file);
                  if (!prepared.ok) throw new Error(t('group.logoBad'));
                  await api.uploadParticipantLogo(channelId, p.participantId, prepared.logo.blob);
                  setLogoVersion(Date.now());
                  onChanged();
                });
              }}
            />
          </label>
        ) : null}
      </div>
      {confirmRotate ? (
        <ConfirmPanel
          text={t('cred.rotate.confirm')}
          label={t('cred.rotate')}
          busy={busy}
          onConfirm={() =>
            void run(async () => {
              const rotated = await api.rotateParticipantSecret(channelId, p.participantId);
              setSecret(rotated.channelSecret);
              setRotatedUntil(rotated.previousExpiresAt);
              setConfirmRotate(false);
            })
          }
          onCancel={() => setConfirmRotate(false)}
        />
      ) : null}
      {failure ? <ErrorBox error={failure} /> : null}
    </li>
  );
}
