import { useAsync } from '@mycard/web-kit/react';
import { type FormEvent, useState } from 'react';
import type {
  Invitation,
  OrganizationAuditEntry,
  OrganizationDetails,
  OrganizationMember,
  OrganizationRole,
} from '../api/types.js';
import { useApp } from '../app-context.js';
import { ConfirmPanel } from '../components/confirm.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { type OrganizationTab, routeHref } from '../lib/route.js';
import { useAction } from '../lib/use-action.js';

const ROLES: OrganizationRole[] = ['owner', 'admin', 'developer', 'viewer'];

/** Which tabs a role sees (PROTOCOL.md §7: members and roles are the owners', the audit log theirs and admins'). */
function tabsFor(role: OrganizationRole): OrganizationTab[] {
  if (role === 'owner') return ['members', 'invitations', 'audit'];
  if (role === 'admin') return ['members', 'audit'];
  return ['members'];
}

/**
 * The operator's organizations: pick one (when there are several), then its name, members,
 * invitations and audit log, each shown only to the roles that may use it.
 */
export function OrganizationScreen({
  organizationId,
  tab,
}: {
  organizationId: string | undefined;
  tab: OrganizationTab;
}) {
  const { t } = useI18n();
  const { api, checkSession, navigate } = useApp();
  const orgs = useAsync(async () => {
    try {
      return (await api.listOrganizations()).organizations;
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, 'organizations');
  const chosen = organizationId ?? orgs.data?.[0]?.organizationId;

  return (
    <div className="page">
      {orgs.loading && !orgs.data ? <Loading /> : null}
      {orgs.error ? <ErrorBox error={orgs.error} onRetry={orgs.reload} /> : null}
      {orgs.data && orgs.data.length > 1 ? (
        <div className="field org-switch">
          <label htmlFor="org-switch">{t('org.switch')}</label>
          <select
            id="org-switch"
            value={chosen}
            onChange={(e) =>
              navigate({ name: 'organization', organizationId: e.target.value, tab: 'members' })
            }
          >
            {orgs.data.map((o) => (
              <option key={o.organizationId} value={o.organizationId}>
                {o.name} — {t(`role.${o.role}`)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {chosen ? (
        <OrganizationView key={chosen} organizationId={chosen} tab={tab} onLeft={orgs.reload} />
      ) : null}
    </div>
  );
}

function OrganizationView({
  organizationId,
  tab,
  onLeft,
}: {
  organizationId: string;
  tab: OrganizationTab;
  onLeft(): void;
}) {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const details = useAsync(async () => {
    try {
      return await api.getOrganization(organizationId);
    } catch (err) {
      checkSession(err);
      throw err;
    }
    // Each visit of a tab reads the organization afresh (members join and leave meanwhile).
  }, `${organizationId}/${tab}`);
  const data = details.data;
  if (details.loading && !data) return <Loading />;
  if (details.error && !data) return <ErrorBox error={details.error} onRetry={details.reload} />;
  if (!data) return null;
  const role = data.organization.role;
  const tabs = tabsFor(role);
  const current = tabs.includes(tab) ? tab : 'members';
  return (
    <>
      <OrganizationHead details={data} onRenamed={details.reload} />
      <nav className="tabs" aria-label={data.organization.name}>
        {tabs.map((name) => (
          <a
            key={name}
            className={name === current ? 'tab tab-current' : 'tab'}
            aria-current={name === current ? 'page' : undefined}
            href={routeHref({ name: 'organization', organizationId, tab: name })}
          >
            {t(`org.tab.${name}`)}
          </a>
        ))}
      </nav>
      {current === 'members' ? (
        <MembersTab
          details={data}
          onChanged={details.reload}
          onLeft={() => {
            onLeft();
            window.location.hash = routeHref({ name: 'programs' });
          }}
        />
      ) : null}
      {current === 'invitations' ? <InvitationsTab organizationId={organizationId} /> : null}
      {current === 'audit' ? <AuditTab organizationId={organizationId} /> : null}
    </>
  );
}

/** The name (owners rename it in place) and the operator's own role. */
function OrganizationHead({ details, onRenamed }: { details: OrganizationDetails; onRenamed(): void }) {
  const { t } = useI18n();
  const { api } = useApp();
  const { organization } = details;
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(organization.name);
  const { busy, failure, run } = useAction();
  const save = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await api.renameOrganization(organization.organizationId, name);
      setEditing(false);
      onRenamed();
    });
  };
  return (
    <div className="stack org-head">
      <p className="muted small-caps">{t('org.title')}</p>
      {editing ? (
        <form className="value-row" onSubmit={save}>
          <label className="sr-only" htmlFor="org-name">
            {t('org.name')}
          </label>
          <input
            id="org-name"
            required
            maxLength={64}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="btn btn-primary btn-small" disabled={busy}>
            {t('common.save')}
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(false)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <div className="value-row">
          <h1 className="program-title">{organization.name}</h1>
          {organization.role === 'owner' ? (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(true)}>
              {t('org.rename')}
            </button>
          ) : null}
        </div>
      )}
      <p className="hint">{t('org.yourRole', { role: t(`role.${organization.role}`) })}</p>
      {failure ? <ErrorBox error={failure} /> : null}
    </div>
  );
}

function MembersTab({
  details,
  onChanged,
  onLeft,
}: {
  details: OrganizationDetails;
  onChanged(): void;
  onLeft(): void;
}) {
  const { t } = useI18n();
  const { operator } = useApp();
  const owner = details.organization.role === 'owner';
  const owners = details.members.filter((m) => m.role === 'owner').length;
  return (
    <section className="panel">
      <h2>{t('org.members.title', { count: details.members.length })}</h2>
      <p className="hint">{t('org.members.hint')}</p>
      <ul className="row-list" data-testid="members">
        {details.members.map((m) => (
          <MemberRow
            key={m.operatorId}
            organizationId={details.organization.organizationId}
            member={m}
            self={m.operatorId === operator?.id}
            canManage={owner}
            lastOwner={m.role === 'owner' && owners <= 1}
            onChanged={onChanged}
            onLeft={onLeft}
          />
        ))}
      </ul>
    </section>
  );
}

function MemberRow({
  organizationId,
  member,
  self,
  canManage,
  lastOwner,
  onChanged,
  onLeft,
}: {
  organizationId: string;
  member: OrganizationMember;
  self: boolean;
  canManage: boolean;
  /** The organization's only owner: keeps the role and cannot go (the API says 3004). */
  lastOwner: boolean;
  onChanged(): void;
  onLeft(): void;
}) {
  const { t, formatTime } = useI18n();
  const { api } = useApp();
  const [confirm, setConfirm] = useState(false);
  const { busy, failure, run } = useAction();
  const changeRole = (role: OrganizationRole) =>
    run(async () => {
      await api.changeMemberRole(organizationId, member.operatorId, role);
      onChanged();
    });
  const remove = () =>
    run(async () => {
      await api.removeMember(organizationId, member.operatorId);
      setConfirm(false);
      if (self) onLeft();
      else onChanged();
    });
  const selectId = `role-${member.operatorId}`;
  return (
    <li className="row-item" data-testid={`member-${member.email}`}>
      <div className="row-main">
        <span className="row-title">
          {member.displayName}
          {self ? <span className="muted"> ({t('org.members.you')})</span> : null}
        </span>
        <span className="row-sub break">{member.email}</span>
        <span className="row-sub">{t('org.members.joined', { time: formatTime(member.joinedAt) })}</span>
      </div>
      <div className="row-actions">
        {canManage && !lastOwner ? (
          <>
            <label className="sr-only" htmlFor={selectId}>
              {t('org.members.roleOf', { name: member.displayName })}
            </label>
            <select
              id={selectId}
              value={member.role}
              disabled={busy}
              onChange={(e) => changeRole(e.target.value as OrganizationRole)}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <span className={`badge badge-role badge-${member.role}`}>{t(`role.${member.role}`)}</span>
        )}
        {(canManage || self) && !lastOwner ? (
          <button
            type="button"
            className="btn btn-ghost btn-small"
            disabled={busy}
            onClick={() => setConfirm(true)}
          >
            {self ? t('org.members.leave') : t('org.members.remove')}
          </button>
        ) : null}
      </div>
      {confirm ? (
        <ConfirmPanel
          className="row-confirm"
          text={
            self
              ? t('org.members.leave.confirm')
              : t('org.members.remove.confirm', { name: member.displayName })
          }
          label={self ? t('org.members.leave') : t('org.members.remove')}
          busy={busy}
          onConfirm={remove}
          onCancel={() => setConfirm(false)}
        />
      ) : null}
      {failure ? (
        <div className="row-confirm">
          <ErrorBox error={failure} overrides={{ '3004': 'org.members.lastOwner' }} />
        </div>
      ) : null}
    </li>
  );
}

function InvitationsTab({ organizationId }: { organizationId: string }) {
  const { t, formatTime } = useI18n();
  const { api, checkSession } = useApp();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<OrganizationRole>('developer');
  const [created, setCreated] = useState<{ email: string; url: string }>();
  const { busy, failure, run } = useAction();
  const pending = useAsync(async () => {
    try {
      return (await api.listInvitations(organizationId)).invitations;
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, `invitations-${organizationId}`);

  const create = (e: FormEvent) => {
    e.preventDefault();
    return run(async () => {
      const result = await api.createInvitation(organizationId, { email, role });
      setCreated({ email: result.invitation.email, url: result.acceptUrl });
      setEmail('');
      pending.reload();
    });
  };
  const revoke = (invitation: Invitation) =>
    run(async () => {
      await api.revokeInvitation(organizationId, invitation.invitationId);
      pending.reload();
    });

  return (
    <div className="stack-lg">
      <section className="panel">
        <h2>{t('org.invite.title')}</h2>
        <p className="hint">{t('org.invite.hint')}</p>
        <form className="stack" onSubmit={create}>
          <div className="field">
            <label htmlFor="invite-email">{t('auth.email')}</label>
            <input
              id="invite-email"
              type="email"
              required
              maxLength={254}
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="invite-role">{t('org.invite.role')}</label>
            <select
              id="invite-role"
              value={role}
              onChange={(e) => setRole(e.target.value as OrganizationRole)}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
            <p className="hint">{t(`role.${role}.help`)}</p>
          </div>
          <div className="button-row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {t('org.invite.create')}
            </button>
          </div>
        </form>
        {failure ? <ErrorBox error={failure} overrides={{ '3004': 'org.invite.alreadyMember' }} /> : null}
        {created ? (
          <div className="alert alert-warning" role="status">
            <h3>{t('org.invite.created', { email: created.email })}</h3>
            <p>{t('org.invite.once')}</p>
            <div className="value-row">
              <code className="value mono break" data-testid="invite-link">
                {created.url}
              </code>
              <CopyButton text={created.url} label={`${t('common.copy')}: ${t('org.invite.link')}`} />
            </div>
          </div>
        ) : null}
      </section>

      <section className="panel">
        <h2>{t('org.pending.title')}</h2>
        {pending.loading && !pending.data ? <Loading /> : null}
        {pending.error ? <ErrorBox error={pending.error} onRetry={pending.reload} /> : null}
        {pending.data && pending.data.length === 0 ? <p className="muted">{t('org.pending.none')}</p> : null}
        {pending.data && pending.data.length > 0 ? (
          <ul className="row-list" data-testid="pending-invitations">
            {pending.data.map((inv) => (
              <li key={inv.invitationId} className="row-item">
                <div className="row-main">
                  <span className="row-title break">{inv.email}</span>
                  <span className="row-sub">
                    {t(`role.${inv.role}`)} · {t('org.pending.expires', { time: formatTime(inv.expiresAt) })}
                  </span>
                  <span className="row-sub">{t('org.pending.by', { name: inv.invitedBy.displayName })}</span>
                </div>
                <div className="row-actions">
                  <button
                    type="button"
                    className="btn btn-ghost btn-small"
                    disabled={busy}
                    onClick={() => revoke(inv)}
                    aria-label={t('org.pending.revokeFor', { email: inv.email })}
                  >
                    {t('org.pending.revoke')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </div>
  );
}

/** A known audit action's words, or the action's own name (a newer platform may add actions). */
function useActionLabel() {
  const { t } = useI18n();
  return (entry: OrganizationAuditEntry): string => {
    const d = entry.details as Record<string, unknown>;
    const str = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');
    const role = (k: string) =>
      ROLES.includes(str(k) as OrganizationRole) ? t(`role.${str(k) as OrganizationRole}`) : str(k);
    switch (entry.action) {
      case 'secret.revealed':
        return t('audit.secret.revealed');
      case 'secret.rotated':
        return t('audit.secret.rotated');
      case 'program.status_changed':
        return t('audit.program.status_changed', { to: str('to') });
      case 'program.review_requested':
        return t('audit.program.review_requested');
      case 'program.review_withdrawn':
        return t('audit.program.review_withdrawn');
      case 'program.webhook_changed':
        return t('audit.program.webhook_changed', { to: str('to') || '—' });
      case 'program.testers_changed':
        return t('audit.program.testers_changed', {
          added: Array.isArray(d.added) ? d.added.length : 0,
          removed: Array.isArray(d.removed) ? d.removed.length : 0,
        });
      case 'organization.renamed':
        return t('audit.organization.renamed', { to: str('to') });
      case 'member.invited':
        return t('audit.member.invited', { email: str('email'), role: role('role') });
      case 'member.invitation_revoked':
        return t('audit.member.invitation_revoked', { email: str('email') });
      case 'member.joined':
        return t('audit.member.joined', { email: str('email'), role: role('role') });
      case 'member.role_changed':
        return t('audit.member.role_changed', { from: role('from'), to: role('to') });
      case 'member.removed':
        return t('audit.member.removed');
      case 'member.left':
        return t('audit.member.left');
      default:
        return entry.action;
    }
  };
}

function AuditTab({ organizationId }: { organizationId: string }) {
  const { t, formatTime } = useI18n();
  const { api, checkSession } = useApp();
  const label = useActionLabel();
  const [more, setMore] = useState<{ entries: OrganizationAuditEntry[]; nextBefore: number | null }>();
  const { busy, failure, run } = useAction();
  const first = useAsync(async () => {
    try {
      setMore(undefined);
      return await api.auditLog(organizationId);
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, `audit-${organizationId}`);
  const entries = [...(first.data?.entries ?? []), ...(more?.entries ?? [])];
  const nextBefore = more ? more.nextBefore : (first.data?.nextBefore ?? null);
  const loadMore = async () => {
    if (nextBefore === null) return;
    await run(async () => {
      const page = await api.auditLog(organizationId, nextBefore);
      setMore((m) => ({ entries: [...(m?.entries ?? []), ...page.entries], nextBefore: page.nextBefore }));
    });
  };
  const actorOf = (e: OrganizationAuditEntry) =>
    e.actor.kind === 'platform-admin' && !e.actor.displayName
      ? t('audit.actor.platform')
      : e.actor.kind === 'cli' || e.actor.kind === 'system'
        ? t('audit.actor.platform')
        : (e.actor.displayName ?? e.actor.email ?? '—');

  return (
    <section className="panel">
      <h2>{t('org.tab.audit')}</h2>
      <p className="hint">{t('audit.hint')}</p>
      {first.loading && !first.data ? <Loading /> : null}
      {first.error ? <ErrorBox error={first.error} onRetry={first.reload} /> : null}
      {first.data && entries.length === 0 ? <p className="muted">{t('audit.none')}</p> : null}
      {entries.length > 0 ? (
        <ol className="row-list" data-testid="audit-entries">
          {entries.map((e) => (
            <li key={e.id} className="row-item" data-action={e.action}>
              <div className="row-main">
                <span className="row-title">{label(e)}</span>
                <span className="row-sub">
                  {actorOf(e)}
                  {e.actor.email && e.actor.email !== e.actor.displayName ? ` <${e.actor.email}>` : ''}
                </span>
                <span className="row-sub">
                  {formatTime(e.at)}
                  {e.targetType === 'program' ? ` · ${t('audit.program', { id: e.targetId })}` : ''}
                  {e.sourceAddress ? ` · ${t('audit.from', { address: e.sourceAddress })}` : ''}
                </span>
              </div>
            </li>
          ))}
        </ol>
      ) : null}
      {failure ? <ErrorBox error={failure} /> : null}
      {nextBefore !== null ? (
        <button type="button" className="btn btn-secondary" disabled={busy} onClick={loadMore}>
          {t('audit.more')}
        </button>
      ) : null}
    </section>
  );
}
