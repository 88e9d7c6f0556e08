import { createContext, useContext } from 'react';
import type { ConsoleApi } from './api/console-api.js';
import type { Operator } from './api/types.js';
import type { Route } from './lib/route.js';

/** What every screen may use: the API, the signed-in operator, navigation, and one-time notices. */
export interface AppServices {
  api: ConsoleApi;
  operator: Operator | undefined;
  navigate(route: Route): void;
  /** Call with any failed call's error: a lost session (4001) sends the operator to sign in. */
  checkSession(error: unknown): void;
  /** The secret just issued by "create program", shown once on the credentials page. */
  issuedSecret: { channelId: string; channelSecret: string } | undefined;
  setIssuedSecret(value: { channelId: string; channelSecret: string } | undefined): void;
}

export const AppContext = createContext<AppServices | undefined>(undefined);

export function useApp(): AppServices {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}
