import { createMyCardClient } from '@mycard/merchant';
import type { HttpPlatform, WalletClient } from './http-platform.js';

/** Runs the whole binding flow for `wallet` and returns the new card's binding id. */
export async function addCard(
  platform: HttpPlatform,
  wallet: WalletClient,
  creds: { channelId: string; channelSecret: string },
  membershipCode: string,
): Promise<string> {
  const r = await wallet.reserve(creds.channelId);
  const client = createMyCardClient({ baseUrl: platform.url, ...creds, maxRetries: 0 });
  const a = await client.apply({ token: r.token, membershipCode });
  const res = await wallet.post('/v1/bindings/complete', {
    token: a.completionToken,
    channelId: creds.channelId,
    status: 'SUCCESS',
  });
  if (res.status !== 200) throw new Error(`complete failed: ${JSON.stringify(res.body)}`);
  return r.bindingId;
}
