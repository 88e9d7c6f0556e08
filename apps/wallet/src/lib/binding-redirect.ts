import { ApiError } from '@mycard/web-kit';
import type { WalletApi } from '../api/wallet-api.js';
import { safeHttpUrl } from './safe-url.js';

/**
 * Binding Reserve (PROTOCOL.md §4.1–2), then the move to the merchant's binding page. The
 * `redirectUrl` names a merchant-registered site: the wallet follows it only when it is an absolute
 * http(s) URL (never `javascript:`, `data:` or a relative path), whatever the platform answered.
 */
export async function reserveAndGo(
  api: Pick<WalletApi, 'reserve'>,
  channelId: string,
  go: (url: string) => void = (url) => location.assign(url),
  bundleId?: string,
): Promise<void> {
  const reservation = await api.reserve(channelId, bundleId);
  const safe = safeHttpUrl(reservation.redirectUrl);
  if (!safe) throw new ApiError('BAD_RESPONSE', 200, { message: 'The binding page is not an http(s) URL.' });
  go(safe);
}
