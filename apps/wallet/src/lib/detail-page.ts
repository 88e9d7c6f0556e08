import { ApiError } from '@mycard/web-kit';
import type { WalletApi } from '../api/wallet-api.js';
import type { MessageKey } from '../i18n/en.js';
import { friendlyError } from './friendly-error.js';
import { safeHttpUrl } from './safe-url.js';

/**
 * Opens a card's custom detail page (PROTOCOL.md §7, protocol-notes "Card context"): asks the
 * platform for the page URL with a freshly signed card context, then navigates there in this tab
 * (the context lives 300 s, so the link is fetched on each tap, never prepared in advance). The
 * answer is still checked to be an absolute http(s) URL before the wallet follows it.
 */
export async function openDetailPage(
  api: Pick<WalletApi, 'detailLink'>,
  bindingId: string,
  go: (url: string) => void = (url) => location.assign(url),
): Promise<void> {
  const { url } = await api.detailLink(bindingId);
  const safe = safeHttpUrl(url);
  if (!safe) throw new ApiError('BAD_RESPONSE', 200, { message: 'The detail link is not an http(s) URL.' });
  go(safe);
}

/**
 * What to say when the page cannot be opened: the card was removed, is not this user's, or the
 * program no longer has a custom page (3004/4003/4004) get one sentence; a lost session, the
 * network and the rest keep their usual messages.
 */
export function detailPageErrorKey(error: unknown): MessageKey {
  if (error instanceof ApiError && ['3004', '4003', '4004'].includes(error.returnCode)) {
    return 'card.pageUnavailable';
  }
  return friendlyError(error).messageKey;
}
