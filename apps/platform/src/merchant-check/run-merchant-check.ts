import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MyCardError } from '@mycard/protocol';
import { UsageError } from '../cli/cli-io.js';
import type { PlatformContext } from '../context.js';
import { reserveBinding } from '../flows/reserve/reserve-binding.js';
import { getProgram } from '../programs/program-repository.js';
import { REFUSAL_CASES } from './check-cases.js';
import { createTokenForger, type ReservedProbe } from './forge-tokens.js';
import { linkTargets, type ProbeResult, pageUrl, probePage, sendsNoReferrer } from './probe-page.js';

export interface MerchantCheckInput {
  channelId: string;
  /** The binding page to probe (default: the program's registered binding URL). */
  bindingUrl?: string;
  /** The wallet user the probes bind as (default: the program's first tester). */
  tester?: string;
  /** A module whose default export signs a member in on the page and submits it (CI). */
  loginScript?: string;
}

export interface CheckOutcome {
  id: string;
  title: string;
  result: 'pass' | 'fail' | 'manual';
  /** What the page did. */
  detail: string;
  meaning?: string;
  fix?: string;
}

/** What a `--login-script` module's default export receives. */
export interface LoginScriptInput {
  /** The page the valid request ended on (the sign-in page). */
  url: string;
  html: string;
  /** The cookies the page set so far (name → value). */
  cookies: Map<string, string>;
  bindingId: string;
}

/**
 * Probes a merchant's binding page the way an attacker and a careless wallet would (issue 8): every
 * refusal case of REFUSAL_CASES against a fresh reserved binding of the program's tester, then a
 * valid request (a page, `Referrer-Policy: no-referrer`, no token in its links, no Apply before a
 * sign-in). Whether an Apply was made is read from the binding's state in the platform's database.
 */
export async function runMerchantCheck(
  ctx: PlatformContext,
  input: MerchantCheckInput,
): Promise<CheckOutcome[]> {
  const program = await getProgram(ctx.db, input.channelId);
  if (!program) throw new UsageError(`no program with channel id ${input.channelId}`);
  if (program.status !== 'DRAFT') {
    throw new UsageError(
      `program ${input.channelId} is ${program.status}: merchant-check runs on a DRAFT (sandbox) program`,
    );
  }
  const tester = input.tester ?? (await firstTester(ctx, program.channelId));
  if (!tester)
    throw new UsageError(
      `program ${input.channelId} has no tester: add one (--tester on program create, or the console)`,
    );
  const base = input.bindingUrl ?? program.bindingUrl;
  const forge = createTokenForger(ctx);

  const reserve = async (): Promise<ReservedProbe> => {
    const reserved = await reserveBinding(ctx, {
      userId: tester,
      channelId: program.channelId,
      verifier: randomBytes(32).toString('base64url'),
    }).catch((err: unknown) => {
      if (err instanceof MyCardError && err.returnCode === '3006') {
        throw new UsageError(
          `the tester ${tester} already holds this program's card: remove it in the wallet, or pass --tester with another tester`,
        );
      }
      throw err;
    });
    const query = new URL(reserved.redirectUrl).searchParams;
    return {
      bindingId: reserved.bindingId,
      nonce: query.get('nonce') ?? '',
      callback: query.get('callback') ?? '',
      token: query.get('token') ?? '',
    };
  };
  const stateOf = async (bindingId: string) =>
    (await ctx.db.selectFrom('bindings').select('state').where('id', '=', bindingId).executeTakeFirst())
      ?.state;

  const outcomes: CheckOutcome[] = [];
  for (const c of REFUSAL_CASES) {
    const probe = await reserve();
    const result = await probePage(pageUrl(base, await c.build(probe, forge, program.channelId)));
    const state = await stateOf(probe.bindingId);
    const fail = (detail: string): CheckOutcome => ({
      id: c.id,
      title: c.title,
      result: 'fail',
      detail,
      meaning: c.meaning,
      fix: c.fix,
    });
    const last = result.hops.at(-1);
    if (result.error) outcomes.push(fail(`no answer: ${result.error}`));
    else if (state !== 'RESERVED') outcomes.push(fail(`an Apply was made (the binding is ${state})`));
    else if (result.leftOrigin) outcomes.push(fail(`redirected to ${result.leftOrigin}`));
    else if (last && last.status < 400)
      outcomes.push(fail(`answered ${last.status}: a page instead of an error`));
    else if (last && last.status >= 500)
      outcomes.push(fail(`answered ${last.status}: the page failed instead of refusing`));
    else
      outcomes.push({
        id: c.id,
        title: c.title,
        result: 'pass',
        detail: `refused (${last?.status}), no Apply`,
      });
  }
  outcomes.push(...(await checkValidRequest(base, await reserve(), stateOf, input.loginScript)));
  return outcomes;
}

async function checkValidRequest(
  base: string,
  probe: ReservedProbe,
  stateOf: (bindingId: string) => Promise<string | undefined>,
  loginScript: string | undefined,
): Promise<CheckOutcome[]> {
  const { nonce, callback, token } = probe;
  const result: ProbeResult = await probePage(pageUrl(base, { nonce, callback, token }));
  const last = result.hops.at(-1);
  const outcomes: CheckOutcome[] = [];
  const shown = !result.error && !result.leftOrigin && last?.status === 200;
  outcomes.push(
    shown
      ? {
          id: 'valid-request',
          title: 'valid request shows a page',
          result: 'pass',
          detail: `200 ${last?.contentType ?? ''}`.trim(),
        }
      : {
          id: 'valid-request',
          title: 'valid request shows a page',
          result: 'fail',
          detail:
            result.error ??
            (result.leftOrigin ? `redirected to ${result.leftOrigin}` : `answered ${last?.status}`),
          meaning: 'a genuine member cannot add the card',
          fix: 'verify with issuer = the platform MYCARD_PUBLIC_URL exactly, your channel id and the platform JWKS',
        },
  );
  const first = result.hops[0];
  const referrerOk =
    sendsNoReferrer(first, result.hops.length === 1 ? result.body : '') &&
    (result.hops.length === 1 || sendsNoReferrer(last, result.body));
  outcomes.push(
    referrerOk
      ? { id: 'referrer-policy', title: 'Referrer-Policy: no-referrer', result: 'pass', detail: 'sent' }
      : {
          id: 'referrer-policy',
          title: 'Referrer-Policy: no-referrer',
          result: 'fail',
          detail: `page sends ${first?.referrerPolicy ?? 'no Referrer-Policy'}`,
          meaning: 'the token in the URL leaks to every site the page loads from or links to (Referer)',
          fix: 'send `Referrer-Policy: no-referrer` on the binding page (or <meta name="referrer" content="no-referrer">)',
        },
  );
  const encoded = encodeURIComponent(probe.token);
  const leaks = [
    ...linkTargets(result.body).filter((v) => v.includes(probe.token) || v.includes(encoded)),
    ...result.hops
      .slice(0, -1)
      .flatMap((h) =>
        h.location && (h.location.includes(probe.token) || h.location.includes(encoded)) ? [h.location] : [],
      ),
  ];
  outcomes.push(
    leaks.length === 0
      ? {
          id: 'token-not-in-links',
          title: 'token kept out of links',
          result: 'pass',
          detail: 'no link, form or redirect carries it',
        }
      : {
          id: 'token-not-in-links',
          title: 'token kept out of links',
          result: 'fail',
          detail: `found in ${leaks[0]?.slice(0, 80)}`,
          meaning: 'the token travels further (history, logs, Referer) than the one request it was meant for',
          fix: 'keep the token server-side (session) after verifying it; link to clean URLs',
        },
  );
  const stateBefore = await stateOf(probe.bindingId);
  if (stateBefore !== 'RESERVED') {
    outcomes.push({
      id: 'no-apply-before-sign-in',
      title: 'no Apply before the member signs in',
      result: 'fail',
      detail: `the binding is ${stateBefore} after merely opening the page`,
      meaning: 'whoever opens the link binds a card to an account nobody signed in to',
      fix: 'Apply only after the member signed in (or signed up) on your page',
    });
    return outcomes;
  }
  outcomes.push({
    id: 'no-apply-before-sign-in',
    title: 'no Apply before the member signs in',
    result: 'pass',
    detail: 'binding still RESERVED',
  });
  if (!loginScript || !shown) {
    outcomes.push({
      id: 'sign-in-and-apply',
      title: 'member signs in, Apply, back to the wallet',
      result: 'manual',
      detail:
        "cannot sign in for you: in the wallet as the tester, add this program's card, sign in on your page and confirm; you should land back in the wallet with the card (or pass --login-script)",
    });
    return outcomes;
  }
  const script = (await import(pathToFileURL(resolve(loginScript)).href)) as {
    default: (input: LoginScriptInput) => Promise<void>;
  };
  let detail: string;
  try {
    await script.default({
      url: last?.url ?? base,
      html: result.body,
      cookies: result.cookies,
      bindingId: probe.bindingId,
    });
    detail = '';
  } catch (err) {
    detail = `the login script failed: ${err instanceof Error ? err.message : String(err)}`;
  }
  const state = await stateOf(probe.bindingId);
  outcomes.push(
    !detail && state === 'APPLIED'
      ? {
          id: 'sign-in-and-apply',
          title: 'member signs in, Apply, back to the wallet',
          result: 'pass',
          detail: 'APPLIED by the login script',
        }
      : {
          id: 'sign-in-and-apply',
          title: 'member signs in, Apply, back to the wallet',
          result: 'fail',
          detail: detail || `after the login script the binding is ${state}`,
          meaning: 'a genuine member cannot finish adding the card',
          fix: 'call apply({ token, membershipCode }) after the sign-in and redirect (303) to its callbackUrl',
        },
  );
  return outcomes;
}

async function firstTester(ctx: PlatformContext, channelId: string): Promise<string | undefined> {
  const row = await ctx.db
    .selectFrom('program_testers')
    .select('user_id')
    .where('channel_id', '=', channelId)
    .orderBy('user_id')
    .executeTakeFirst();
  return row?.user_id;
}
