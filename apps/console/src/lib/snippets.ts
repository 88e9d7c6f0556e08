/**
 * The integration guide's flow diagram and copy-paste `@mycard/merchant` snippets, filled with a
 * program's channel id and the platform URL. docs/integration-guide.md carries the same text with
 * the placeholder values (a test keeps the two in step).
 */
export interface GuideContext {
  channelId: string;
  /** The platform's public URL (`iss` of binding tokens), no trailing slash. */
  platformUrl: string;
}

export interface GuideStep {
  id: 'install' | 'client' | 'binding-page' | 'apply' | 'cancel' | 'webhook' | 'profile' | 'pos' | 'unbind';
  /** Language of the snippet, for the code block's label. */
  lang: 'sh' | 'ts';
  code: string;
}

/** The values docs/integration-guide.md is written with. */
export const PLACEHOLDER_CONTEXT: GuideContext = {
  channelId: '1234567890',
  platformUrl: 'https://mycard.example',
};

export const FLOW_DIAGRAM = `
  Wallet (My Card)            Platform                    Your server
  ----------------            --------                    -----------
  1. "Add card" ---------->   POST /v1/bindings
                              (Binding Reserve)
  2. <---- redirectUrl ----   {bindingId, redirectUrl}
     open redirectUrl ------------------------------->    GET binding page
                                                          ?nonce&callback&token
  3.                          binding token (ES256, 10 min)
  4.                                                      verifyBindingRequest()
                                                          member signs in / up
  5.                          POST /v1/bindings/apply <-- mycard.apply(token, code)
                              {callbackUrl} ------------>
  6. <----------------------------------------------- 303 to callbackUrl
  7. confirm ------------->   POST /v1/bindings/complete
     card shown <----------   card ACTIVE
                              webhook card.completed -->  verifyWebhook()
`.slice(1);

const TEMPLATES: readonly GuideStep[] = [
  {
    id: 'install',
    lang: 'sh',
    code: `npm install {{platformUrl}}/sdk/mycard-merchant.tgz
# the SDK this platform runs with; once @mycard/merchant is on
# the npm registry, npm install @mycard/merchant is the same package`,
  },
  {
    id: 'client',
    lang: 'ts',
    code: `// mycard.ts — server side only: the channel secret never reaches a browser.
import { createMyCardClient } from '@mycard/merchant';

export const MYCARD_URL = '{{platformUrl}}';
export const MYCARD_CHANNEL_ID = '{{channelId}}';

export const mycard = createMyCardClient({
  baseUrl: MYCARD_URL,
  channelId: MYCARD_CHANNEL_ID,
  channelSecret: process.env.MYCARD_CHANNEL_SECRET!,
});`,
  },
  {
    id: 'binding-page',
    lang: 'ts',
    code: `// Your binding website URL: the wallet opens it with ?nonce, callback and token.
import { verifyBindingRequest } from '@mycard/merchant';

app.get('/mycard/bind', async (req, res) => {
  const binding = await verifyBindingRequest(req.query, {
    channelId: '{{channelId}}',
    issuer: '{{platformUrl}}',
    jwksUrl: '{{platformUrl}}/.well-known/jwks.json',
  });
  // Keep the token and the signed callback; redirect only to binding.callback.
  req.session.binding = { token: String(req.query.token), callback: binding.callback };
  res.render('bind', { expiresAt: binding.expiresAt }); // sign in or sign up here
});`,
  },
  {
    id: 'apply',
    lang: 'ts',
    code: `// After the member signed in: store the link and send them back to the wallet.
app.post('/mycard/bind', async (req, res) => {
  const { token } = req.session.binding;
  const { callbackUrl } = await mycard.apply({
    token,
    membershipCode: req.user.membershipCode,
    profile: { displayName: req.user.name, points: req.user.points, version: 1 },
  });
  res.redirect(303, callbackUrl);
});`,
  },
  {
    id: 'cancel',
    lang: 'ts',
    code: `// The member gave up (or your side failed): tell the wallet.
import { buildCancelUrl } from '@mycard/merchant';

app.post('/mycard/bind/cancel', (req, res) => {
  const { token, callback } = req.session.binding;
  res.redirect(303, buildCancelUrl({ callback, token, channelId: '{{channelId}}', status: 'CANCEL' }));
});`,
  },
  {
    id: 'webhook',
    lang: 'ts',
    code: `// Your webhook URL: card.completed and card.unbound, signed with your channel secret.
import express from 'express';
import { verifyWebhook } from '@mycard/merchant';

app.post('/mycard/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
  let event;
  try {
    event = await verifyWebhook({
      headers: req.headers,
      rawBody: req.body, // the raw bytes: never a re-serialized object
      path: '/mycard/webhook',
      channelId: '{{channelId}}',
      channelSecret: process.env.MYCARD_CHANNEL_SECRET!,
    });
  } catch {
    return res.sendStatus(401); // not signed by the platform
  }
  if (await events.seen(event.id)) return res.sendStatus(200); // deliveries are retried
  const { bindingId, membershipCode } = event.data;
  if (event.type === 'card.completed') await members.linkCard(membershipCode, bindingId);
  if (event.type === 'card.unbound') await members.unlinkCard(bindingId);
  res.sendStatus(200);
});`,
  },
  {
    id: 'profile',
    lang: 'ts',
    code: `// Points and level changed: update what the wallet shows. version must grow.
await mycard.updateProfile({
  bindingId: member.bindingId,
  profile: { points: member.points, level: member.level, version: member.ledgerVersion },
});`,
  },
  {
    id: 'pos',
    lang: 'ts',
    code: `// POS: the member shows "My Code" (18 digits) instead of the card.
const { membershipCode } = await mycard.resolveOneTimeKey(scannedCode);
await ledger.accrue(membershipCode, purchase.points);`,
  },
  {
    id: 'unbind',
    lang: 'ts',
    code: `// Membership closed at your side: end the card in the wallet too.
await mycard.unbind({ bindingId: member.bindingId, reason: 'membership_closed' });`,
  },
];

/** The guide's steps with this program's values filled in. */
export function guideSteps(context: GuideContext): GuideStep[] {
  return TEMPLATES.map((step) => ({ ...step, code: fill(step.code, context) }));
}

function fill(template: string, { channelId, platformUrl }: GuideContext): string {
  return template.replaceAll('{{channelId}}', channelId).replaceAll('{{platformUrl}}', platformUrl);
}

/**
 * The platform URL (binding tokens' `iss`) from the JWKS URL the API reports, so the snippets carry
 * what the platform states rather than what the browser happens to see; falls back to `fallback`.
 */
export function platformUrlOf(jwksUrl: string | undefined, fallback: string): string {
  if (jwksUrl) {
    try {
      const url = new URL(jwksUrl, fallback);
      const suffix = '/.well-known/jwks.json';
      const base = url.pathname.endsWith(suffix) ? url.pathname.slice(0, -suffix.length) : '';
      return url.origin + base;
    } catch {
      // fall through
    }
  }
  return fallback.replace(/\/+$/, '');
}
