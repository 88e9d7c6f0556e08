import { type HttpPlatform, merchantClient, type WalletClient } from './http-platform.js';

/** Runs the whole binding flow for `wallet` and returns the new card's binding id. */
export async function addCard(
  platform: HttpPlatform,
  wallet: WalletClient,
  creds: { channelId: string; channelSecret: string },
  membershipCode: string,
): Promise<string> {
  const r = await wallet.reserve(creds.channelId);
  const client = merchantClient(platform, creds);
  const a = await client.apply({ token: r.token, membershipCode });
  const res = await wallet.post('/v1/bindings/complete', {
    token: a.completionToken,
    channelId: creds.channelId,
    status: 'SUCCESS',
  });
  if (res.status !== 200) throw new Error(`complete failed: ${JSON.stringify(res.body)}`);
  return r.bindingId;
}

/** A new program with `user`'s card on it: the credentials, the wallet, the binding id and the program's merchant client. */
export async function programWithCard(platform: HttpPlatform, user: string, membershipCode: string) {
  const creds = await platform.program();
  const wallet = await platform.wallet(user);
  const bindingId = await addCard(platform, wallet, creds, membershipCode);
  return { creds, wallet, bindingId, client: merchantClient(platform, creds) };
}
