import { ApiError } from '@mycard/web-kit';
import { useAsync } from '@mycard/web-kit/react';
import { useState } from 'react';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';

/**
 * The page an invitation link opens (`#/invite/{token}`), for a signed-in operator (the app shows
 * sign-in or sign-up first and comes back here): what the link invites to, and "Accept". The token
 * stays in the fragment, which the browser never sends to a server; the console posts it in a body.
 */
export function AcceptInviteScreen({ token, onSignOut }: { token: string; onSignOut(): void }) {
  const { t } = useI18n();
  const { api, checkSession, operator, navigate } = useApp();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const preview = useAsync(async () => {
    try {
      return (await api.previewInvitation(token)).invitation;
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, token);

  const accept = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const { organization } = await api.acceptInvitation(token);
      navigate({ name: 'organization', organizationId: organization.organizationId, tab: 'members' });
    } catch (err) {
      checkSession(err);
      setFailure(err);
    } finally {
      setBusy(false);
    }
  };

  const refusal = preview.error ?? failure;
  const code = refusal instanceof ApiError ? refusal.returnCode : undefined;
  return (
    <div className="auth-wrap">
      <div className="auth-card panel stack">
        <h1>{t('invite.title')}</h1>
        {preview.loading && !preview.data ? <Loading /> : null}
        {preview.data && !refusal ? (
          <>
            <p className="lead" data-testid="invite-summary">
              {t('invite.summary', {
                inviter: preview.data.invitedBy,
                organization: preview.data.organizationName,
                role: t(`role.${preview.data.role}`),
              })}
            </p>
            <p className="hint">{t(`role.${preview.data.role}.help`)}</p>
            <div className="button-row">
              <button type="button" className="btn btn-primary" disabled={busy} onClick={accept}>
                {t('invite.accept')}
              </button>
              <a className="btn btn-ghost" href={routeHref({ name: 'programs' })}>
                {t('invite.notNow')}
              </a>
            </div>
          </>
        ) : null}
        {refusal ? (
          <>
            <ErrorBox
              error={refusal}
              overrides={{
                '4004': 'invite.invalid',
                '4003': 'invite.otherEmail',
                '3004': 'invite.alreadyMember',
              }}
            />
            {code === '4003' ? (
              <>
                <p className="hint">{t('invite.signedInAs', { email: operator?.email ?? '' })}</p>
                <button type="button" className="btn btn-secondary" onClick={onSignOut}>
                  {t('invite.switchAccount')}
                </button>
              </>
            ) : (
              <a className="btn btn-secondary" href={routeHref({ name: 'programs' })}>
                {t('common.back')}
              </a>
            )}
          </>
        ) : null}
      </div>
    </div>
  );
}
