import { ApiError } from '@mycard/web-kit';
import type { WalletConfig, WalletSession } from '../api/types.js';
import type { WalletApi } from '../api/wallet-api.js';

/** The part of the LIFF SDK the wallet uses (the real `@line/liff`, or it with `@line/liff-mock`). */
export interface LiffLike {
  init(config: { liffId: string }): Promise<void>;
  isLoggedIn(): boolean;
  login(options?: { redirectUri?: string }): void;
  logout(): void;
  getIDToken(): string | null;
  getDecodedIDToken(): { sub?: string } | null;
  getLanguage(): string;
  getAppLanguage?(): string;
}

export type SessionOutcome =
  | { kind: 'signed-in'; session: WalletSession; language?: string }
  | { kind: 'needs-dev-sign-in' }
  /** LINE Login is taking over the page (`liff.login()` navigates away). */
  | { kind: 'redirecting' };

export interface StartSessionInput {
  config: WalletConfig;
  api: WalletApi;
  /** Loads the LIFF SDK (a dynamic import, so dev mode never downloads it). */
  loadLiff: () => Promise<LiffLike>;
  /** The page URL LINE Login returns to. */
  currentUrl: string;
  /** True when this page load already came back from a fresh LINE Login (no second retry: no loop). */
  alreadyRetried?: boolean;
}

function isSessionMissing(error: unknown): boolean {
  return error instanceof ApiError && error.returnCode === '4001';
}

async function currentSession(api: WalletApi): Promise<WalletSession | undefined> {
  try {
    return await api.session();
  } catch (error) {
    if (isSessionMissing(error)) return undefined;
    throw error;
  }
}

/**
 * Establishes the wallet session at start (PROTOCOL.md §5). Dev mode: the existing session, or the
 * "sign in as" screen. LINE mode: `liff.init`, LINE Login when needed, then the LIFF ID token is
 * exchanged with `POST /v1/session/line` — unless the session cookie already belongs to this LINE
 * user (`line:<sub>`, protocol-notes "LINE identity"), which saves a round trip on every open.
 */
export async function startSession(input: StartSessionInput): Promise<SessionOutcome> {
  const { config, api } = input;
  if (config.identity === 'dev') {
    const session = await currentSession(api);
    return session ? { kind: 'signed-in', session } : { kind: 'needs-dev-sign-in' };
  }

  const liff = await input.loadLiff();
  await liff.init({ liffId: config.liffId });
  const language = liff.getAppLanguage?.() ?? liff.getLanguage();
  if (!liff.isLoggedIn()) {
    liff.login({ redirectUri: input.currentUrl });
    return { kind: 'redirecting' };
  }
  const sub = liff.getDecodedIDToken()?.sub;
  const existing = await currentSession(api);
  if (existing && sub && existing.userId === `line:${sub}`) {
    return { kind: 'signed-in', session: existing, language };
  }
  const idToken = liff.getIDToken();
  if (!idToken) throw new ApiError('LINE_LOGIN', 0, { message: 'LIFF returned no ID token.' });
  try {
    const session = await api.signInLine(idToken);
    return { kind: 'signed-in', session, language };
  } catch (error) {
    // A cached ID token past its `exp`: log in again for a fresh one.
    if (isSessionMissing(error) && !input.alreadyRetried) {
      liff.logout();
      liff.login({ redirectUri: input.currentUrl });
      return { kind: 'redirecting' };
    }
    throw error;
  }
}
