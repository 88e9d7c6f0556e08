import type { AsyncState } from '@mycard/web-kit/react';
import { createContext, type ReactNode, useContext } from 'react';
import type { InboxMessage } from '../api/types.js';
import { useLive } from '../lib/use-live.js';

export interface InboxValue {
  state: AsyncState<InboxMessage[]>;
  /** Unread messages (the tab bar's badge); 0 until the inbox has loaded. */
  unread: number;
  reload(): void;
}

const InboxContext = createContext<InboxValue | null>(null);

/**
 * The inbox (PROTOCOL.md §11), loaded once for every screen and kept live (the same conditional
 * polling as the open card), so the tab bar's unread badge follows new and read messages.
 */
export function InboxProvider({ children }: { children: ReactNode }) {
  const { state, reload } = useLive('/v1/inbox', (info) => (info as { messages: InboxMessage[] }).messages);
  const unread = state.status === 'ok' ? state.data.filter((m) => !m.read).length : 0;
  return <InboxContext.Provider value={{ state, unread, reload }}>{children}</InboxContext.Provider>;
}

export function useInbox(): InboxValue {
  const value = useContext(InboxContext);
  if (!value) throw new Error('useInbox outside InboxProvider');
  return value;
}
