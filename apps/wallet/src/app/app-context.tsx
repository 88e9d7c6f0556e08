import { createContext, useContext } from 'react';
import type { WalletConfig, WalletSession } from '../api/types.js';
import type { WalletApi } from '../api/wallet-api.js';

export interface AppContextValue {
  api: WalletApi;
  config: WalletConfig;
  session: WalletSession;
  signOut(): void;
  /** A call answered 4001: the session ended; go back to sign-in. */
  sessionLost(): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside AppContext');
  return value;
}
