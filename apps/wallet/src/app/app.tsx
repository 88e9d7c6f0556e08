import { createApiClient } from '@mycard/web-kit';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { WalletConfig, WalletSession } from '../api/types.js';
import { createWalletApi } from '../api/wallet-api.js';
import { ErrorPanel, Loading } from '../components/status.js';
import { I18nProvider, initialLanguage } from '../i18n/i18n-context.js';
import type { Language } from '../i18n/translate.js';
import { useRoute } from '../lib/use-route.js';
import { AddCardScreen } from '../screens/add-card-screen.js';
import { BundleScreen } from '../screens/bundle-screen.js';
import { CallbackScreen } from '../screens/callback-screen.js';
import { CardScreen } from '../screens/card-screen.js';
import { CardsScreen } from '../screens/cards-screen.js';
import { InboxScreen } from '../screens/inbox-screen.js';
import { MessageScreen } from '../screens/message-screen.js';
import { MyCodeScreen } from '../screens/my-code-screen.js';
import { NotFoundScreen } from '../screens/not-found-screen.js';
import { ProgramScreen } from '../screens/program-screen.js';
import { SignInScreen } from '../screens/sign-in-screen.js';
import { type LiffLike, startSession } from '../session/start-session.js';
import { AppContext, type AppContextValue } from './app-context.js';
import { InboxProvider } from './inbox-context.js';

type Boot =
  | { kind: 'loading' }
  | { kind: 'sign-in'; config: WalletConfig }
  | { kind: 'ready'; config: WalletConfig; session: WalletSession }
  | { kind: 'redirecting' }
  | { kind: 'error'; error: unknown };

const RETRY_FLAG = 'mycard.lineLoginRetried';

async function loadConfig(): Promise<WalletConfig> {
  const response = await fetch('/wallet/config.json', { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) throw new Error(`config ${response.status}`);
  const body = (await response.json()) as Partial<WalletConfig>;
  return { identity: body.identity === 'line' ? 'line' : 'dev', liffId: String(body.liffId ?? '') };
}

async function loadLiff(): Promise<LiffLike> {
  const { default: liff } = await import('@line/liff');
  return liff as unknown as LiffLike;
}

/** Boots the wallet: configuration, session (dev sign-in or LIFF), language, then the screens. */
export function App() {
  const api = useMemo(() => createWalletApi(createApiClient()), []);
  const [boot, setBoot] = useState<Boot>({ kind: 'loading' });
  const [language, setLanguage] = useState<Language>(() => initialLanguage());

  const start = useCallback(async () => {
    setBoot({ kind: 'loading' });
    try {
      const config = await loadConfig();
      let retried = false;
      try {
        retried = sessionStorage.getItem(RETRY_FLAG) === '1';
      } catch {}
      const outcome = await startSession({
        config,
        api,
        loadLiff,
        currentUrl: location.href,
        alreadyRetried: retried,
      });
      if (outcome.kind === 'redirecting') {
        try {
          sessionStorage.setItem(RETRY_FLAG, '1');
        } catch {}
        setBoot({ kind: 'redirecting' });
        return;
      }
      try {
        sessionStorage.removeItem(RETRY_FLAG);
      } catch {}
      if (outcome.kind === 'needs-dev-sign-in') {
        setBoot({ kind: 'sign-in', config });
        return;
      }
      if (outcome.language) setLanguage(initialLanguage(outcome.language));
      setBoot({ kind: 'ready', config, session: outcome.session });
    } catch (error) {
      setBoot({ kind: 'error', error });
    }
  }, [api]);

  useEffect(() => {
    void start();
  }, [start]);

  const context = useMemo<AppContextValue | null>(() => {
    if (boot.kind !== 'ready') return null;
    return {
      api,
      config: boot.config,
      session: boot.session,
      signOut: () => {
        void api.signOut().finally(() => setBoot({ kind: 'sign-in', config: boot.config }));
      },
      sessionLost: () => void start(),
    };
  }, [api, boot, start]);

  return (
    <I18nProvider initial={language}>
      {boot.kind === 'loading' || boot.kind === 'redirecting' ? (
        <div className="boot">
          <span className="brand-mark large" aria-hidden="true" />
          <Loading />
        </div>
      ) : null}
      {boot.kind === 'error' ? (
        <main className="boot" id="main">
          <ErrorPanel error={boot.error} onRetry={() => void start()} />
        </main>
      ) : null}
      {boot.kind === 'sign-in' ? (
        <SignInScreen
          api={api}
          onSignedIn={(session) => setBoot({ kind: 'ready', config: boot.config, session })}
        />
      ) : null}
      {context ? (
        <AppContext.Provider value={context}>
          <InboxProvider>
            <Screens />
          </InboxProvider>
        </AppContext.Provider>
      ) : null}
    </I18nProvider>
  );
}

function Screens() {
  const route = useRoute();
  switch (route.name) {
    case 'cards':
      return <CardsScreen />;
    case 'card':
      return <CardScreen key={route.bindingId} bindingId={route.bindingId} />;
    case 'add':
      return <AddCardScreen query={route.query} />;
    case 'program':
      return <ProgramScreen key={route.channelId} channelId={route.channelId} />;
    case 'callback':
      return <CallbackScreen params={route.params} />;
    case 'mycode':
      return <MyCodeScreen />;
    case 'inbox':
      return <InboxScreen />;
    case 'bundle':
      return <BundleScreen key={route.bundleId} bundleId={route.bundleId} />;
    case 'message':
      return (
        <MessageScreen
          key={`${route.channelId}/${route.messageId}`}
          channelId={route.channelId}
          messageId={route.messageId}
        />
      );
    default:
      return <NotFoundScreen />;
  }
}
