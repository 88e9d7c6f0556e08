import type { ApiClient } from '@mycard/web-kit';
import type {
  BindingPreview,
  CallbackStatus,
  Card,
  DetailPageLink,
  InboxMessage,
  MuteResult,
  OneTimeKey,
  OneTimeKeyStatus,
  ProgramSummary,
  ReportBody,
  Reservation,
  WalletBundle,
  WalletSession,
} from './types.js';

/** The wallet API of PROTOCOL.md §4–§5 as typed calls over an {@link ApiClient}. */
export function createWalletApi(api: ApiClient) {
  return {
    session: () => api.get<WalletSession>('/v1/session'),
    signInDev: (userId: string, displayName: string) =>
      api.post<WalletSession>('/v1/session/dev', { userId, displayName }),
    signInLine: (idToken: string) => api.post<WalletSession>('/v1/session/line', { idToken }),
    signOut: () => api.delete<unknown>('/v1/session'),
    programs: async (query: string) => {
      const qs = query ? `?query=${encodeURIComponent(query)}` : '';
      const info = await api.get<{ programs: ProgramSummary[] }>(`/v1/programs${qs}`);
      return info.programs;
    },
    /** One program the user can add (4004 when unknown or not available to this user). */
    program: async (channelId: string) =>
      (await api.get<{ program: ProgramSummary }>(`/v1/programs/${encodeURIComponent(channelId)}`)).program,
    /** Binding Reserve; from a campaign bundle, its id goes along (counted in the bundle's figures). */
    reserve: (channelId: string, bundleId?: string) =>
      api.post<Reservation>('/v1/bindings', bundleId ? { channelId, bundleId } : { channelId }),
    /** A campaign bundle (§9): its programs for this user (4004 outside its dates). */
    bundle: async (bundleId: string) =>
      (await api.get<WalletBundle>(`/v1/bundles/${encodeURIComponent(bundleId)}`)).bundle,
    preview: (token: string, channelId: string) =>
      api.post<BindingPreview>('/v1/bindings/preview', { token, channelId }),
    complete: async (token: string, channelId: string, status: CallbackStatus) => {
      const info = await api.post<{ card?: Card }>('/v1/bindings/complete', { token, channelId, status });
      return info?.card;
    },
    /**
     * "Don't add" on the confirm screen: cancels the binding with the completion token of the SUCCESS
     * callback (protocol-notes "Bindings", CANCEL/FAIL). The token is dead afterwards.
     */
    cancelBinding: (token: string, channelId: string) =>
      api.post<unknown>('/v1/bindings/complete', { token, channelId, status: 'CANCEL' }),
    cards: async () => (await api.get<{ cards: Card[] }>('/v1/cards')).cards,
    card: async (bindingId: string) =>
      (await api.get<{ card: Card }>(`/v1/cards/${encodeURIComponent(bindingId)}`)).card,
    removeCard: (bindingId: string) => api.delete<unknown>(`/v1/cards/${encodeURIComponent(bindingId)}`),
    /** The card's custom detail page URL with a fresh signed card context (valid 300 s). */
    detailLink: (bindingId: string) =>
      api.post<DetailPageLink>(`/v1/cards/${encodeURIComponent(bindingId)}/detail-link`, {}),
    myCode: () => api.post<OneTimeKey>('/v1/mycode', {}),
    /** The inbox (§11): messages of the user's unmuted cards, newest first. */
    inbox: async () => (await api.get<{ messages: InboxMessage[] }>('/v1/inbox')).messages,
    markRead: (channelId: string, messageId: string) =>
      api.post<unknown>(
        `/v1/inbox/${encodeURIComponent(channelId)}/${encodeURIComponent(messageId)}/read`,
        {},
      ),
    /** Mutes or unmutes a card's messages. */
    mute: (bindingId: string, muted: boolean) =>
      api.post<MuteResult>(`/v1/cards/${encodeURIComponent(bindingId)}/mute`, { muted }),
    /**
     * "Report this card" (issue 14): a reason, optional text and, from a card, its binding id. At
     * most a few per user a day: 4029 with Retry-After beyond that.
     */
    report: (channelId: string, body: ReportBody) =>
      api.post<{ reportId: string; createdAt: string }>(
        `/v1/programs/${encodeURIComponent(channelId)}/reports`,
        body,
      ),
    /** What became of the user's own My Code: live, used (a shop resolved it) or expired. */
    myCodeStatus: (oneTimeKey: string) =>
      api.post<OneTimeKeyStatus>('/v1/mycode/status', {
        oneTimeKey,
      }),
  };
}

export type WalletApi = ReturnType<typeof createWalletApi>;
