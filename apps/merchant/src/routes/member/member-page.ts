import type { FastifyInstance } from 'fastify';
import type { MerchantContext } from '../../context.js';
import { openLots, soonestExpiry } from '../../ledger/lots.js';
import { refreshPendingLink } from '../../links/pending-link.js';
import { currentLink, lastEndedLink, unbindMember } from '../../links/unbind-member.js';
import { ean13Svg } from '../../web/ean13-svg.js';
import { html } from '../../web/html.js';
import { layout } from '../../web/layout.js';
import type { MessageKey } from '../../web/messages/en.js';
import { currentMember, hasValidCsrf, pageContext, seeOther, sendPage } from '../../web/request-context.js';

const NOTICES: Record<string, MessageKey> = { unbound: 'unbound' };
const ERRORS: Record<string, MessageKey> = { unbind: 'errUnbind', csrf: 'errCsrf' };

/** The member page (balance, code, history, wallet link) and the unbind action. */
export function registerMemberPage(app: FastifyInstance, ctx: MerchantContext): void {
  app.get<{ Querystring: { notice?: string; error?: string } }>('/member', async (request, reply) => {
    const member = await currentMember(ctx, request);
    if (!member) return seeOther(reply, '/login');
    const page = pageContext(ctx, request, reply, { path: '/member', member });
    const balance = await ctx.db
      .selectFrom('balances')
      .select('points')
      .where('member_id', '=', member.id)
      .executeTakeFirstOrThrow();
    const entries = await ctx.db
      .selectFrom('ledger_entries')
      .select(['kind', 'points', 'amount', 'currency', 'order_id', 'created_at'])
      .where('member_id', '=', member.id)
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    let link = await currentLink(ctx, member.id);
    // A link still waiting for the wallet: ask the platform what became of it (the member may have
    // said "Don't add", or the binding expired) so the page shows the truth, not "being added…".
    if (link && link.state !== 'active' && (await refreshPendingLink(ctx, link.binding_id)) !== 'pending') {
      link = await currentLink(ctx, member.id);
    }
    const ended = link ? undefined : await lastEndedLink(ctx, member.id);
    const notice = NOTICES[request.query.notice ?? ''];
    const error = ERRORS[request.query.error ?? ''];
    const date = new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium', timeStyle: 'short' });
    const day = new Intl.DateTimeFormat(page.locale, { dateStyle: 'medium', timeZone: 'UTC' });
    const lots = await openLots(ctx.db, member.id);
    const expiry = soonestExpiry(lots);
    const tierRow = await ctx.db
      .selectFrom('member_tiers')
      .select(['tier', 'spend'])
      .where('member_id', '=', member.id)
      .executeTakeFirst();
    const tiers = ctx.config.tiers;
    const spend = tierRow?.spend ?? 0;
    const next = tiers.levels.find((l) => l.minSpend > spend);
    const money = new Intl.NumberFormat(page.locale);
    const tier =
      tiers.levels.length === 0
        ? ''
        : html`<p class="tier" id="tier">${page.t('tier', { tier: tierRow?.tier ?? '—' })}</p>
<p class="hint" id="tier-spend">${page.t('tierSpend', { months: tiers.windowMonths, spend: money.format(spend), currency: ctx.config.currency })}${next ? html`<br>${page.t('tierNext', { amount: money.format(next.minSpend - spend), currency: ctx.config.currency, tier: next.name })}` : ''}</p>`;
    const lotList =
      lots.length === 0
        ? html`<p class="hint">${page.t('lotsEmpty')}</p>`
        : html`<table id="lots"><tbody>${lots.map(
            (l) => html`<tr data-lot="${l.id}">
  <td>${page.t('lotEarned', { date: day.format(new Date(l.createdAt)) })}<br><span class="hint">${page.t('order')} ${l.orderId}</span></td>
  <td class="num">${page.t('pointsValue', { points: l.left })}<br><span class="hint">${l.expiresAt ? page.t('lotExpires', { date: day.format(new Date(l.expiresAt)) }) : page.t('lotNeverExpires')}</span></td>
</tr>`,
          )}</tbody></table>`;

    const wallet = link
      ? html`<p>${page.t(link.state === 'active' ? 'walletLinked' : 'walletPending')}</p>
<form method="post" action="/member/unbind"><input type="hidden" name="_csrf" value="${page.csrf}">
<button class="danger" type="submit">${page.t('unbind')}</button></form>`
      : html`${ended ? html`<p class="notice" id="wallet-ended">${page.t(ended.state === 'expired' ? 'walletExpired' : 'walletCancelled')}</p>` : ''}
<p>${page.t('walletNotLinked', { brand: page.brand })}</p>
${ctx.platform.channelId ? html`<p><a class="button" id="add-again" href="${`${ctx.config.platformUrl}/wallet/add/${ctx.platform.channelId}`}">${page.t('walletAddAgain')}</a></p>` : ''}`;
    const history =
      entries.length === 0
        ? html`<p class="hint">${page.t('noHistory')}</p>`
        : html`<table><tbody>${entries.map(
            (e) => html`<tr>
  <td>${date.format(new Date(e.created_at))}<br><span class="hint">${page.t(`kind_${e.kind}`)} · ${page.t('order')} ${e.order_id}</span></td>
  <td class="num ${e.points >= 0 ? 'plus' : 'minus'}">${e.points >= 0 ? '+' : ''}${e.points}</td>
</tr>`,
          )}</tbody></table>`;

    const body = html`<h1>${page.t('hello', { name: member.display_name })}</h1>
${notice ? html`<p class="notice" role="status">${page.t(notice)}</p>` : ''}
${error ? html`<p class="error" role="alert">${page.t(error)}</p>` : ''}
<section class="card"><h2>${page.t('points')}</h2><p class="points" id="balance" data-points="${balance.points}">${page.t('pointsValue', { points: balance.points })}</p>
${expiry.pointsExpireAt ? html`<p class="notice" id="expiring">${page.t('expiringSoon', { points: expiry.expiringPoints ?? 0, date: day.format(new Date(expiry.pointsExpireAt)) })}</p>` : ''}
${tier}</section>
<section class="card"><h2>${page.t('lotsTitle')}</h2>${lotList}</section>
<section class="card"><h2>${page.t('membershipCode')}</h2>
${ctx.config.codeType === 'EAN13' ? ean13Svg(member.membership_code, `${page.t('membershipCode')} ${member.membership_code}`) : ''}
<p class="code" id="membership-code">${member.membership_code}</p></section>
<section class="card"><h2>${page.t('walletTitle')}</h2>${wallet}</section>
<section class="card"><h2>${page.t('history')}</h2>${history}</section>`;
    return sendPage(reply, 200, layout(page, page.t('memberPage'), body));
  });

  app.post<{ Body: { _csrf?: string } }>(
    '/member/unbind',
    {
      schema: {
        body: {
          type: 'object',
          properties: { _csrf: { type: 'string', maxLength: 100 } },
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const member = await currentMember(ctx, request);
      if (!member) return seeOther(reply, '/login');
      if (!hasValidCsrf(ctx, request, request.body?._csrf)) return seeOther(reply, '/member?error=csrf');
      try {
        await unbindMember(ctx, member.id);
      } catch (err) {
        request.log.warn({ err }, 'unbind failed');
        return seeOther(reply, '/member?error=unbind');
      }
      return seeOther(reply, '/member?notice=unbound');
    },
  );
}
