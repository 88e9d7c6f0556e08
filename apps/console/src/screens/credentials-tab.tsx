import { useState } from 'react';
import type { ProgramDetails } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ConfirmPanel } from '../components/confirm.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox } from '../components/error-box.js';
import { SecretValue } from '../components/secret-value.js';
import { useI18n } from '../i18n/i18n-context.js';
import { walletAddHref } from '../lib/route.js';
import { useAction } from '../lib/use-action.js';

/**
 * Channel id, channel secret (shown once after creation, revealed on request, rotatable with an
 * overlap), the platform's public key (PEM download, JWKS URL), and the sandbox test button.
 */
export function CredentialsTab({ details, onChanged }: { details: ProgramDetails; onChanged(): void }) {
  const { t, formatTime } = useI18n();
  const { api, issuedSecret, setIssuedSecret } = useApp();
  const { program, role } = details;
  // A viewer never receives a secret (PROTOCOL.md §7): no reveal, no rotate, nothing to show.
  const mayUseSecret = role !== 'viewer';
  const justIssued = issuedSecret?.channelId === program.channelId ? issuedSecret.channelSecret : undefined;
  const [secret, setSecret] = useState<string | undefined>(justIssued);
  const [rotation, setRotation] = useState<{ previousExpiresAt: string }>();
  const [confirmRotate, setConfirmRotate] = useState(false);
  const { busy, failure, run } = useAction();

  const reveal = () => run(async () => setSecret((await api.revealSecret(program.channelId)).channelSecret));
  const rotate = () =>
    run(async () => {
      const result = await api.rotateSecret(program.channelId);
      setSecret(result.channelSecret);
      setRotation({ previousExpiresAt: result.previousExpiresAt });
      setConfirmRotate(false);
      setIssuedSecret(undefined);
      onChanged();
    });

  const previousUntil = rotation?.previousExpiresAt ?? details.secret.previousExpiresAt;
  const previousLive =
    previousUntil !== null && previousUntil !== undefined && Date.parse(previousUntil) > Date.now();
  const absolute = (path: string) => new URL(path, window.location.href).href;
  const tester = details.testers[0];

  return (
    <div className="stack-lg">
      {justIssued && secret === justIssued ? (
        <div className="alert alert-warning" role="status">
          <h2>{t('cred.once.title')}</h2>
          <p>{t('cred.once.body')}</p>
        </div>
      ) : null}

      <section className="panel">
        <h2>{t('cred.channelId')}</h2>
        <div className="value-row">
          <code className="value mono" data-testid="channel-id">
            {program.channelId}
          </code>
          <CopyButton text={program.channelId} label={`${t('common.copy')}: ${t('cred.channelId')}`} />
        </div>
      </section>

      <section className="panel">
        <h2>{t('cred.secret')}</h2>
        <p className="hint">{t('cred.secret.hint')}</p>
        {!mayUseSecret ? (
          <p className="warning-text" data-testid="no-secret-for-role">
            {t('cred.noSecretForRole', { role: t(`role.${role}`) })}
          </p>
        ) : secret ? (
          <SecretValue
            secret={secret}
            testId="channel-secret"
            copyLabel={`${t('common.copy')}: ${t('cred.secret')}`}
            onHide={() => setSecret(undefined)}
          />
        ) : (
          <div className="value-row">
            <code className="value mono muted" aria-hidden="true">
              ••••••••••••••••••••••••••••••••
            </code>
            <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={reveal}>
              {t('cred.reveal')}
            </button>
          </div>
        )}
        <p className="hint">{t('cred.issued', { time: formatTime(details.secret.createdAt) })}</p>
        {rotation ? (
          <p className="success-text" role="status">
            {t('cred.rotated', { time: formatTime(rotation.previousExpiresAt) })}
          </p>
        ) : previousLive ? (
          <p className="warning-text">{t('cred.previousUntil', { time: formatTime(previousUntil) })}</p>
        ) : null}
        {!mayUseSecret ? null : confirmRotate ? (
          <ConfirmPanel
            text={t('cred.rotate.confirm')}
            label={t('cred.rotate')}
            busy={busy}
            onConfirm={rotate}
            onCancel={() => setConfirmRotate(false)}
          />
        ) : (
          <button
            type="button"
            className="btn btn-secondary"
            disabled={busy}
            onClick={() => setConfirmRotate(true)}
          >
            {t('cred.rotate')}
          </button>
        )}
        {failure ? <ErrorBox error={failure} /> : null}
      </section>

      <section className="panel">
        <h2>{t('cred.publicKey')}</h2>
        <p className="hint">{t('cred.publicKey.hint')}</p>
        <pre className="code-block pem">{details.publicKeyPem}</pre>
        <div className="button-row">
          <a
            className="btn btn-secondary"
            href="/v1/console/platform-key.pem"
            download="mycard-platform-key.pem"
          >
            {t('cred.downloadPem')}
          </a>
          <CopyButton text={details.publicKeyPem} label={`${t('common.copy')}: PEM`} />
        </div>
        <h3>{t('cred.jwks')}</h3>
        <div className="value-row">
          <code className="value mono break">{absolute(details.jwksUrl)}</code>
          <CopyButton text={absolute(details.jwksUrl)} label={`${t('common.copy')}: ${t('cred.jwks')}`} />
        </div>
      </section>

      <section className="panel">
        <h2>{t('cred.test.title')}</h2>
        <p>{t('cred.test.body', { tester: tester ?? 'dev:alice' })}</p>
        {program.status === 'DRAFT' && details.testers.length === 0 ? (
          <p className="warning-text">{t('cred.test.noTesters')}</p>
        ) : null}
        <a className="btn btn-primary" href={walletAddHref(program.channelId)} target="_blank" rel="noopener">
          {t('cred.test.button')} ↗
        </a>
      </section>
    </div>
  );
}
