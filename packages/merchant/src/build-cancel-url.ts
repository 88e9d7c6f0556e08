/**
 * Input of {@link buildCancelUrl}.
 *
 * @example
 * ```ts
 * const input: BuildCancelUrlInput = { callback: binding.callback, token, channelId, status: 'CANCEL' };
 * ```
 */
export interface BuildCancelUrlInput {
  /** The `callback` of the verified binding request (the signed claim, never the raw query). */
  callback: string;
  /** The binding token the page was opened with. */
  token: string;
  /** Your channel id. */
  channelId: string;
  /** `CANCEL` when the member gave up, `FAIL` when your side could not bind; default `CANCEL`. */
  status?: 'CANCEL' | 'FAIL';
}

/**
 * Builds where to send the member when the binding does not happen at your site (PROTOCOL.md
 * §4.6): the wallet's callback with `token` (the binding token), `channelId` and
 * `status=CANCEL|FAIL` added to its query (its own query parameters kept). The wallet then
 * cancels the binding. On success, redirect to `callbackUrl` from `apply()` instead.
 *
 * @example
 * ```ts
 * app.post('/mycard/bind/cancel', (req, res) => {
 *   const { token, callback } = req.session.binding;
 *   res.redirect(303, buildCancelUrl({ callback, token, channelId: process.env.MYCARD_CHANNEL_ID! }));
 * });
 * ```
 */
export function buildCancelUrl(input: BuildCancelUrlInput): string {
  const status = input.status ?? 'CANCEL';
  if (status !== 'CANCEL' && status !== 'FAIL') throw new TypeError('status must be CANCEL or FAIL');
  const url = new URL(input.callback);
  url.searchParams.set('token', input.token);
  url.searchParams.set('channelId', input.channelId);
  url.searchParams.set('status', status);
  return url.href;
}
