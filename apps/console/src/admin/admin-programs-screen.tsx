import { useAsync } from '@mycard/web-kit/react';
import { useState } from 'react';
import type { ProgramStatus } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { LogoImage } from '../components/logo-image.js';
import { StatusBadge } from '../components/status-badge.js';
import { useI18n } from '../i18n/i18n-context.js';
import { routeHref } from '../lib/route.js';
import type { AdminProgram } from './admin-types.js';
import { SuspensionForm } from './suspension-form.js';

const STATUSES: ProgramStatus[] = ['LIVE', 'IN_REVIEW', 'DRAFT', 'SUSPENDED'];

/**
 * Every program of the platform, across organizations, with suspend / reinstate. `focus` (a
 * channel id, `#/admin/programs/{channelId}`, from a report) shows that one program only.
 */
export function AdminProgramsScreen({ focus }: { focus?: string | undefined }) {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const [filter, setFilter] = useState<{ status: string; query: string }>({ status: '', query: '' });
  const [draftQuery, setDraftQuery] = useState('');
  const [done, setDone] = useState<string>();
  const list = useAsync(
    async () => {
      try {
        const { programs } = await api.admin.listPrograms(filter);
        return focus === undefined ? programs : programs.filter((p) => p.channelId === focus);
      } catch (err) {
        checkSession(err);
        throw err;
      }
    },
    `admin-programs:${filter.status}:${filter.query}:${focus ?? ''}`,
  );

  return (
    <section aria-labelledby="admin-programs-title">
      <h1 id="admin-programs-title">{t('admin.section.programs')}</h1>
      <form
        className="admin-filter"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter((f) => ({ ...f, query: draftQuery.trim() }));
        }}
      >
        <label className="admin-filter-field">
          <span>{t('programs.admin.filter.status')}</span>
          <select
            value={filter.status}
            onChange={(e) => setFilter((f) => ({ ...f, status: e.target.value }))}
          >
            <option value="">{t('programs.admin.filter.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="admin-filter-field admin-filter-grow">
          <span>{t('programs.admin.filter.query')}</span>
          <input
            type="search"
            value={draftQuery}
            maxLength={64}
            onChange={(e) => setDraftQuery(e.target.value)}
          />
        </label>
        <button type="submit" className="btn btn-secondary">
          {t('programs.admin.search')}
        </button>
      </form>
      {focus !== undefined ? (
        <p className="crumbs">
          <a href={routeHref({ name: 'admin', section: 'programs' })}>← {t('programs.admin.showAll')}</a>
        </p>
      ) : null}
      {done ? (
        <p className="alert alert-success" role="status">
          {done}
        </p>
      ) : null}
      {list.loading && !list.data ? <Loading /> : null}
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.length === 0 ? (
        <p className="panel muted">{t('programs.admin.empty')}</p>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <ul className="admin-list">
          {list.data.map((program) => (
            <AdminProgramRow
              key={program.channelId}
              program={program}
              onChanged={(message) => {
                setDone(message);
                list.reload();
              }}
            />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function AdminProgramRow({
  program,
  onChanged,
}: {
  program: AdminProgram;
  onChanged(message: string): void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const action =
    program.status === 'LIVE' ? 'suspend' : program.status === 'SUSPENDED' ? 'reinstate' : undefined;
  return (
    <li className="admin-row admin-row-static" data-channel-id={program.channelId}>
      <LogoImage src={program.logoUrl ?? undefined} className="admin-logo" initial={program.name} />
      <div className="admin-row-body">
        <span className="admin-row-title">{program.name}</span>
        <span className="admin-row-meta">
          <StatusBadge status={program.status as ProgramStatus} />
          <span>{t('programs.admin.cards', { count: program.activeCards })}</span>
          {program.pendingReview ? (
            <span className="badge badge-in_review">{t('programs.admin.pending')}</span>
          ) : null}
          {program.openReports > 0 ? (
            <span className="badge badge-suspended">
              {t('programs.admin.reports', { count: program.openReports })}
            </span>
          ) : null}
        </span>
        <span className="muted admin-row-sub">
          {program.operatorEmail ? t('programs.admin.owner', { email: program.operatorEmail }) : null}{' '}
          <span className="mono">{program.channelId}</span>
        </span>
        {action && open ? (
          <SuspensionForm
            action={action}
            program={program}
            onCancel={() => setOpen(false)}
            onDone={() => {
              setOpen(false);
              onChanged(
                t(action === 'suspend' ? 'programs.admin.suspended' : 'programs.admin.reinstated', {
                  name: program.name,
                }),
              );
            }}
          />
        ) : null}
      </div>
      {action && !open ? (
        <button
          type="button"
          className={
            action === 'suspend' ? 'btn btn-secondary btn-small admin-danger' : 'btn btn-secondary btn-small'
          }
          onClick={() => setOpen(true)}
        >
          {t(action === 'suspend' ? 'programs.admin.suspend' : 'programs.admin.reinstate')}
        </button>
      ) : null}
    </li>
  );
}
