import type { ProgramStatus } from '../api/types.js';
import { LogoImage } from '../components/logo-image.js';
import { StatusBadge } from '../components/status-badge.js';
import { useI18n } from '../i18n/i18n-context.js';
import type { LookAlike, ReviewScreen } from './admin-types.js';

const GROUPS = ['byName', 'byLogo', 'byBindingHost'] as const;

/**
 * Programs like the reviewed one (any state; LIVE ones matter most), each drawn beside it (its logo, name, binding host and
 * organization against the proposed ones), grouped by what matched: the normalized name, the
 * logo's perceptual hash (bits apart out of 64), or the binding page's host.
 */
export function LookAlikes({ data }: { data: ReviewScreen }) {
  const { t } = useI18n();
  const total = GROUPS.reduce((n, g) => n + data.lookAlikes[g].length, 0);
  return (
    <section
      className={total > 0 ? 'panel look-alikes look-alikes-found' : 'panel look-alikes'}
      aria-labelledby="similar-title"
    >
      <h2 id="similar-title">
        {t('review.similar')} <span className="count-pill">{total}</span>
      </h2>
      {total === 0 ? <p className="muted">{t('review.similar.none')}</p> : null}
      {GROUPS.map((group) =>
        data.lookAlikes[group].length > 0 ? (
          <div key={group} className="look-alike-group">
            <h3>{t(`review.similar.${group}`)}</h3>
            <ul className="plain-list">
              {data.lookAlikes[group].map((other) => (
                <li key={`${group}:${other.channelId}`}>
                  <Pair data={data} other={other} group={group} />
                </li>
              ))}
            </ul>
          </div>
        ) : null,
      )}
    </section>
  );
}

function Pair({
  data,
  other,
  group,
}: {
  data: ReviewScreen;
  other: LookAlike;
  group: (typeof GROUPS)[number];
}) {
  const { t } = useI18n();
  const sameOrg = other.operatorId !== null && other.operatorId === data.organization.operatorId;
  return (
    <div className="pair">
      <div className="pair-side pair-this">
        <LogoImage
          src={data.proposed.logoUrl ?? undefined}
          className="admin-logo"
          initial={data.proposed.name}
        />
        <span className="pair-name">{data.proposed.name}</span>
        <span className="mono pair-host">{data.proposed.bindingHost}</span>
        <span className="pair-org break">{data.organization.email ?? '—'}</span>
      </div>
      <div className="pair-side pair-other">
        <LogoImage src={other.logoUrl ?? undefined} className="admin-logo" initial={other.name} />
        <span className="pair-name">{other.name}</span>
        <span className="mono pair-host">{other.bindingHost}</span>
        <span className="pair-org">
          <StatusBadge status={other.status as ProgramStatus} />{' '}
          {sameOrg ? (
            <span className="badge badge-live">{t('review.organization')} =</span>
          ) : (
            <span className="mono muted">{other.operatorId ?? '—'}</span>
          )}
        </span>
        {group === 'byLogo' && other.distance !== undefined ? (
          <span className="pair-why">{t('review.similar.distance', { bits: other.distance })}</span>
        ) : null}
        {group === 'byName' && isNameMatch(other.match) ? (
          <span className="pair-why">{t(`review.similar.match.${other.match}`)}</span>
        ) : null}
      </div>
    </div>
  );
}

const isNameMatch = (m: string | undefined): m is 'same' | 'contains' | 'similar' =>
  m === 'same' || m === 'contains' || m === 'similar';
