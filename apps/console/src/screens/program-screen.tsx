import { useAsync } from '@mycard/web-kit/react';
import { useEffect, useRef, useState } from 'react';
import type { ProgramDetails } from '../api/types.js';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { LogoImage } from '../components/logo-image.js';
import { StatusBadge } from '../components/status-badge.js';
import { useI18n } from '../i18n/i18n-context.js';
import { logoSrcOf } from '../lib/logo-src.js';
import { type ProgramTab, routeHref } from '../lib/route.js';
import { CredentialsTab } from './credentials-tab.js';
import { GroupTab } from './group-tab.js';
import { GuideTab } from './guide-tab.js';
import { SettingsTab } from './settings-tab.js';
import { WebhooksTab } from './webhooks-tab.js';

const TABS: ProgramTab[] = ['settings', 'credentials', 'webhooks', 'group', 'guide'];

/** One program: its header (logo, name, status) and the settings / credentials / guide tabs. */
export function ProgramScreen({ channelId, tab }: { channelId: string; tab: ProgramTab }) {
  const { t } = useI18n();
  const { api, checkSession } = useApp();
  const [logoVersion, setLogoVersion] = useState<number>();
  const details = useAsync(async () => {
    try {
      return await api.getProgram(channelId);
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, channelId);

  const data: ProgramDetails | undefined = details.data;
  const currentTab = useRef<HTMLAnchorElement>(null);
  // On a phone the tab bar scrolls sideways: keep the current tab in view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run when the tab or the data changes
  useEffect(() => {
    currentTab.current?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [tab, data]);
  return (
    <div className="page">
      <p className="crumbs">
        <a href={routeHref({ name: 'programs' })}>← {t('common.back')}</a>
      </p>
      {details.loading && !data ? <Loading /> : null}
      {details.error && !data ? <ErrorBox error={details.error} onRetry={details.reload} /> : null}
      {data ? (
        <>
          <div className="program-head">
            <span
              className="program-head-logo"
              style={{ background: data.program.colors.background, color: data.program.colors.foreground }}
              aria-hidden="true"
            >
              <LogoImage
                src={logoSrcOf(data.program, logoVersion)}
                className="head-logo"
                initial={data.program.name}
              />
            </span>
            <div>
              <h1 className="program-title">{data.program.name}</h1>
              <div className="program-sub">
                <StatusBadge status={data.program.status} />
                <span className="mono muted">{data.program.channelId}</span>
              </div>
            </div>
          </div>
          <nav className="tabs" aria-label={data.program.name}>
            {TABS.map((name) => (
              <a
                key={name}
                className={name === tab ? 'tab tab-current' : 'tab'}
                aria-current={name === tab ? 'page' : undefined}
                ref={name === tab ? currentTab : undefined}
                href={routeHref({ name: 'program', channelId, tab: name })}
              >
                {t(`tab.${name}`)}
              </a>
            ))}
          </nav>
          {tab === 'settings' ? (
            <SettingsTab
              details={data}
              logoVersion={logoVersion}
              onChanged={(logoChanged) => {
                if (logoChanged) setLogoVersion(Date.now());
                details.reload();
              }}
            />
          ) : null}
          {tab === 'credentials' ? <CredentialsTab details={data} onChanged={details.reload} /> : null}
          {tab === 'webhooks' ? <WebhooksTab details={data} /> : null}
          {tab === 'group' ? <GroupTab details={data} /> : null}
          {tab === 'guide' ? <GuideTab details={data} /> : null}
        </>
      ) : null}
    </div>
  );
}
