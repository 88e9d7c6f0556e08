import { ApiError, createApiClient } from '@mycard/web-kit';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { AdminArea } from './admin/admin-area.js';
import { createConsoleApi, operatorOf } from './api/console-api.js';
import type { Operator } from './api/types.js';
import { AppContext, type AppServices } from './app-context.js';
import { ErrorBox, Loading } from './components/error-box.js';
import { Layout } from './components/layout.js';
import { MainNav } from './components/main-nav.js';
import { hasKeptDraft } from './lib/kept-draft.js';
import { parseRoute, type Route, routeHref } from './lib/route.js';
import { AcceptInviteScreen } from './screens/accept-invite-screen.js';
import { AuthScreen } from './screens/auth-screen.js';
import { BundleScreen } from './screens/bundle-screen.js';
import { BundlesScreen, NewBundleScreen } from './screens/bundles-screen.js';
import { NewProgramScreen } from './screens/new-program-screen.js';
import { NoticesScreen } from './screens/notices-screen.js';
import { OrganizationScreen } from './screens/organization-screen.js';
import { ProgramScreen } from './screens/program-screen.js';
import { ProgramsScreen } from './screens/programs-screen.js';
import { SignInLinkScreen } from './screens/sign-in-link-screen.js';

type Session =
  | { state: 'loading' }
  /** `expired`: a call found the session ended (not a sign-out, not a first visit). */
  | { state: 'out'; expired?: boolean }
  | { state: 'in'; operator: Operator }
  | { state: 'error'; error: unknown };

function useHashRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => {
      setRoute(parseRoute(window.location.hash));
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** The console: resolves the session, then shows the screen of the hash route. */
export function App() {
  const api = useMemo(() => createConsoleApi(createApiClient()), []);
  const route = useHashRoute();
  const [session, setSession] = useState<Session>({ state: 'loading' });
  const [issuedSecret, setIssuedSecret] = useState<AppServices['issuedSecret']>();
  const [noticesRead, setNoticesRead] = useState(0);

  const loadSession = useCallback(() => {
    setSession({ state: 'loading' });
    api.me().then(
      (info) => {
        const operator = operatorOf(info);
        setSession(operator ? { state: 'in', operator } : { state: 'out' });
      },
      (error: unknown) => {
        setSession(
          error instanceof ApiError && error.returnCode === '4001'
            ? { state: 'out' }
            : { state: 'error', error },
        );
      },
    );
  }, [api]);
  useEffect(loadSession, [loadSession]);

  const services = useMemo<AppServices>(
    () => ({
      api,
      operator: session.state === 'in' ? session.operator : undefined,
      navigate: (next) => {
        window.location.hash = routeHref(next);
      },
      checkSession: (error) => {
        if (error instanceof ApiError && error.returnCode === '4001')
          setSession({ state: 'out', expired: true });
      },
      issuedSecret,
      setIssuedSecret,
    }),
    [api, session, issuedSecret],
  );

  const signOut = async () => {
    try {
      await api.signOut();
    } catch {
      // Signing out locally still matters when the server is unreachable.
    }
    setIssuedSecret(undefined);
    setSession({ state: 'out' });
    window.location.hash = routeHref({ name: 'signin' });
  };

  let screen: React.ReactNode;
  if (session.state === 'loading') screen = <Loading />;
  else if (session.state === 'error')
    screen = (
      <div className="page">
        <ErrorBox error={session.error} onRetry={loadSession} />
      </div>
    );
  else if (route.name === 'sign-in-link')
    screen = (
      <SignInLinkScreen
        token={route.token}
        onSignedIn={(operator) => {
          setSession({ state: 'in', operator });
          window.location.hash = routeHref(
            operator.platformRole === 'platform-admin'
              ? { name: 'admin', section: 'reviews' }
              : { name: 'programs' },
          );
        }}
      />
    );
  else if (session.state === 'out') {
    screen = (
      <AuthScreen
        mode={route.name === 'signup' || (route.name === 'invite' && route.signup) ? 'signup' : 'signin'}
        notice={
          route.name === 'invite'
            ? 'invite'
            : session.expired
              ? hasKeptDraft()
                ? 'expired-draft'
                : 'expired'
              : undefined
        }
        invitation={route.name === 'invite' ? route.token : undefined}
        // An invitation link keeps its place: sign in or sign up, then accept on the same page.
        switchHref={
          route.name === 'invite'
            ? routeHref({ name: 'invite', token: route.token, signup: !route.signup })
            : undefined
        }
        onSignedIn={(operator) => {
          setSession({ state: 'in', operator });
          if (route.name === 'signin' || route.name === 'signup')
            window.location.hash = routeHref({ name: 'programs' });
        }}
      />
    );
  } else if (route.name === 'new') screen = <NewProgramScreen />;
  else if (route.name === 'bundles') screen = <BundlesScreen />;
  else if (route.name === 'newBundle') screen = <NewBundleScreen />;
  else if (route.name === 'bundle') screen = <BundleScreen key={route.bundleId} bundleId={route.bundleId} />;
  else if (route.name === 'invite') screen = <AcceptInviteScreen token={route.token} onSignOut={signOut} />;
  else if (route.name === 'organization')
    screen = <OrganizationScreen organizationId={route.organizationId} tab={route.tab} />;
  else if (route.name === 'program')
    screen = <ProgramScreen key={route.channelId} channelId={route.channelId} tab={route.tab} />;
  else if (route.name === 'notices') screen = <NoticesScreen onRead={() => setNoticesRead((n) => n + 1)} />;
  else if (route.name === 'admin') screen = <AdminArea section={route.section} item={route.id} />;
  else screen = <ProgramsScreen />;

  return (
    <AppContext.Provider value={services}>
      <Layout
        operator={services.operator}
        onSignOut={signOut}
        nav={
          services.operator && route.name !== 'sign-in-link' ? (
            <MainNav operator={services.operator} route={route} refresh={noticesRead} />
          ) : undefined
        }
      >
        {screen}
      </Layout>
    </AppContext.Provider>
  );
}
