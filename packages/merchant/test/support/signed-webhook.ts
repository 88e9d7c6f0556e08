import { generateTestSignatureHeaders } from '../../src/index.js';
import { CHANNEL_ID, CHANNEL_SECRET } from './fake-platform.js';

/**
 * POSTs `body` to a webhook endpoint as the platform would: signed with `secret` over `signedPath`
 * (the URL's own path unless a proxy rewrote it). Returns the status and the JSON answer.
 */
export async function postSignedWebhook(
  url: string,
  body: string,
  signedPath = new URL(url).pathname,
  secret = CHANNEL_SECRET,
) {
  const headers = await generateTestSignatureHeaders({
    channelId: CHANNEL_ID,
    channelSecret: secret,
    path: signedPath,
    body,
  });
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, body: await res.json() };
}
