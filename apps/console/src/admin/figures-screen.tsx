import { useAsync } from '@mycard/web-kit/react';
import { useState } from 'react';
import { useApp } from '../app-context.js';
import { ErrorBox, Loading } from '../components/error-box.js';
import { useI18n } from '../i18n/i18n-context.js';
import { figuresJsonHref } from './admin-api.js';
import type { PlatformFigures } from './admin-types.js';
import { BarList, DayColumns, ShareBar } from './charts.js';

const PERIODS = [7, 14, 30, 90] as const;

/**
 * The platform's figures (`GET /v1/console/admin/figures`) as small charts: programs by state,
 * bindings per day, active cards, merchant API calls and errors, webhook delivery health per
 * program — and a link to the same figures as JSON for the operator's own tools.
 */
export function FiguresScreen() {
  const { t, formatTime } = useI18n();
  const { api, checkSession } = useApp();
  const [days, setDays] = useState<number>(14);
  const figures = useAsync(async () => {
    try {
      return await api.admin.figures(days);
    } catch (err) {
      checkSession(err);
      throw err;
    }
  }, `figures:${days}`);
  const f = figures.data;
  return (
    <section aria-labelledby="figures-title">
      <div className="page-head">
        <h1 id="figures-title">{t('admin.section.figures')}</h1>
        <a className="btn btn-ghost btn-small" href={figuresJsonHref(days)} target="_blank" rel="noopener">
          {t('figures.json')}
        </a>
      </div>
      <div className="admin-filter">
        <label className="admin-filter-field">
          <span>{t('figures.days')}</span>
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {PERIODS.map((n) => (
              <option key={n} value={n}>
                {t('figures.days.option', { days: n })}
              </option>
            ))}
          </select>
        </label>
        {f ? (
          <p className="hint figures-when">
            {t('figures.generated', {
              time: formatTime(f.generatedAt),
              // Non-breaking hyphens: a date never splits across lines.
              from: f.from.replaceAll('-', '\u2011'),
              to: f.to.replaceAll('-', '\u2011'),
            })}
          </p>
        ) : null}
      </div>
      {figures.loading && !f ? <Loading /> : null}
      {figures.error ? <ErrorBox error={figures.error} onRetry={figures.reload} /> : null}
      {f ? <Figures f={f} /> : null}
    </section>
  );
}

function Figures({ f }: { f: PlatformFigures }) {
  const { t, language } = useI18n();
  const number = new Intl.NumberFormat(language);
  const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 });
  const days = f.bindingsPerDay.map((d) => d.day);
  const apiDays = f.merchantApi.perDay.map((d) => d.day);
  const bindingSeries = (['started', 'completed', 'cancelled', 'expired'] as const).map((key) => ({
    key,
    label: t(`figures.bindings.${key}`),
    values: f.bindingsPerDay.map((d) => d[key]),
  }));
  const anyBindings = bindingSeries.some((s) => s.values.some((v) => v > 0));
  const anyCalls = f.merchantApi.calls > 0;
  return (
    <div className="figures-grid">
      <div className="stat-tiles">
        {(
          [
            ['activeCards', f.activeCards],
            ['pausedCards', f.pausedCards],
            ['pendingRevisions', f.pendingRevisions],
            ['openReports', f.openReports],
          ] as const
        ).map(([key, value]) => (
          <div key={key} className="panel stat-tile">
            <span className="stat-value">{number.format(value)}</span>
            <span className="stat-label">{t(`figures.${key}`)}</span>
          </div>
        ))}
      </div>

      <section className="panel" aria-labelledby="fig-programs">
        <h2 id="fig-programs">{t('figures.programs')}</h2>
        <BarList
          caption={t('figures.programs')}
          format={(n) => number.format(n)}
          rows={(['LIVE', 'IN_REVIEW', 'DRAFT', 'SUSPENDED'] as const).map((s) => ({
            key: s.toLowerCase(),
            label: t(`status.${s}`),
            value: f.programs[s],
          }))}
        />
      </section>

      <section className="panel" aria-labelledby="fig-bindings">
        <h2 id="fig-bindings">{t('figures.bindings')}</h2>
        {anyBindings ? (
          <DayColumns
            days={days}
            series={bindingSeries}
            caption={t('figures.bindings')}
            dayLabel={t('figures.day')}
          />
        ) : (
          <p className="muted">{t('figures.none')}</p>
        )}
      </section>

      <section className="panel" aria-labelledby="fig-api">
        <h2 id="fig-api">{t('figures.api')}</h2>
        <p className="stat-line">
          {t('figures.api.summary', {
            calls: number.format(f.merchantApi.calls),
            errors: number.format(f.merchantApi.errors),
            rate: percent.format(f.merchantApi.errorRate),
          })}
        </p>
        {anyCalls ? (
          <>
            <DayColumns
              days={apiDays}
              caption={t('figures.api')}
              dayLabel={t('figures.day')}
              series={[
                {
                  key: 'ok',
                  label: t('figures.api.calls'),
                  values: f.merchantApi.perDay.map((d) => d.calls - d.errors),
                },
                {
                  key: 'errors',
                  label: t('figures.api.errors'),
                  values: f.merchantApi.perDay.map((d) => d.errors),
                },
              ]}
            />
            <h3>{t('figures.api.byCode')}</h3>
            <BarList
              caption={t('figures.api.byCode')}
              format={(n) => `${number.format(n)} (${percent.format(n / f.merchantApi.calls)})`}
              rows={f.merchantApi.byReturnCode.map((r) => ({
                key: r.returnCode === '0000' ? 'ok' : 'errors',
                label: r.returnCode,
                value: r.calls,
              }))}
            />
          </>
        ) : (
          <p className="muted">{t('figures.none')}</p>
        )}
      </section>

      <section className="panel" aria-labelledby="fig-webhooks">
        <h2 id="fig-webhooks">{t('figures.webhooks')}</h2>
        {f.webhooks.length === 0 ? <p className="muted">{t('figures.none')}</p> : null}
        <ul className="plain-list">
          {f.webhooks.map((w) => (
            <li key={w.channelId}>
              <ShareBar
                label={w.name}
                parts={(['delivered', 'pending', 'retrying', 'abandoned'] as const).map((key) => ({
                  key,
                  label: t(`figures.webhooks.${key}`),
                  value: w[key],
                }))}
              />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
