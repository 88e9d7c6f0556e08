import { type CardProfile, type CardProfileUpdate, isOneTimeKey, MyCardError } from '@mycard/protocol';
import { type ClientTimers, SYSTEM_TIMERS } from './retry-policy.js';
import { type FetchLike, sendSignedRequest, type Transport } from './send-signed-request.js';
import { SDK_VERSION } from './version.js';

/**
 * Options of {@link createMyCardClient}.
 *
 * @example
 * ```ts
 * const options: MyCardClientOptions = {
 *   baseUrl: 'https://mycard.example', channelId: '1234567890', channelSecret: process.env.MYCARD_CHANNEL_SECRET!,
 * };
 * ```
 */
export interface MyCardClientOptions {
  /** The platform's public URL, e.g. `https://mycard.example` (a path prefix is kept and signed). */
  baseUrl: string | URL;
  /** Your channel id (10 digits), from the console. */
  channelId: string;
  /** Your channel secret, from the console. Server-side only: never ship it to a browser. */
  channelSecret: string;
  /** The `fetch` to use; default the global one. */
  fetch?: FetchLike;
  /** Per attempt, in milliseconds, response body included; default 10 000. */
  timeoutMs?: number;
  /** Retries after the first attempt where a repeat is safe (see the README); default 2. */
  maxRetries?: number;
  /** Prepended to the SDK's own `User-Agent`, e.g. `'my-shop/1.4'`. */
  userAgent?: string;
  /** How the client waits between retries and times an attempt; default the runtime's timers. */
  timers?: ClientTimers;
  /**
   * `'program'` (the default): the program's own channel, every call. A group participant's channel
   * takes {@link MyCardParticipantClientOptions} (`kind: 'participant'`) instead.
   */
  kind?: 'program';
}

/**
 * Options of {@link createMyCardClient} for a group participant's channel (PROTOCOL.md §8: a brand or
 * store of a group program, with its own channel id and secret): the client then has only the calls
 * such a channel may make ({@link MyCardParticipantClient}).
 *
 * @example
 * ```ts
 * const options: MyCardParticipantClientOptions = {
 *   baseUrl: 'https://mycard.example', channelId: '2345678901', channelSecret: storeSecret, kind: 'participant',
 * };
 * ```
 */
export interface MyCardParticipantClientOptions extends Omit<MyCardClientOptions, 'kind'> {
  kind: 'participant';
}

/**
 * Input of {@link MyCardClient.apply} (PROTOCOL.md §4.5).
 *
 * @example
 * ```ts
 * const input: ApplyInput = { token: query.token, membershipCode: '4901234567894', profile: { points: 120, version: 1 } };
 * ```
 */
export interface ApplyInput {
  /** The binding token from the binding page's query, as received. */
  token: string;
  /** The member's code in your system; must fit your program's code type (2103 otherwise). */
  membershipCode: string;
  /** What the wallet shows on the card from the start. */
  profile?: CardProfileUpdate;
}

/**
 * Result of {@link MyCardClient.apply}.
 *
 * @example
 * ```ts
 * const { callbackUrl }: ApplyResult = await client.apply(input);
 * res.redirect(303, callbackUrl);
 * ```
 */
export interface ApplyResult {
  bindingId: string;
  /** Single-use; a repeated apply issues a new one and the old one dies. */
  completionToken: string;
  /** Where to send the member's browser next (status `SUCCESS`). */
  callbackUrl: string;
}

/**
 * Input of {@link MyCardClient.updateProfile} (PROTOCOL.md §6).
 *
 * @example
 * ```ts
 * const input: UpdateProfileInput = { bindingId, profile: { points: 340, version: ledger.version } };
 * ```
 */
export interface UpdateProfileInput {
  bindingId: string;
  /**
   * Merged into the stored profile (PROTOCOL.md §6 v1.1): an absent field keeps its value, `null`
   * clears it. `version` must grow with every update (3008 otherwise): use a counter or a timestamp.
   */
  profile: CardProfileUpdate;
}

/**
 * Input of {@link MyCardClient.unbind} (PROTOCOL.md §6).
 *
 * @example
 * ```ts
 * const input: UnbindInput = { bindingId, reason: 'membership_closed' };
 * ```
 */
export interface UnbindInput {
  bindingId: string;
  reason?: string;
}

/**
 * Result of {@link MyCardClient.updateProfile}: the profile as now stored (after the merge).
 *
 * @example
 * ```ts
 * const { profile }: UpdateProfileResult = await client.updateProfile({ bindingId, profile: { points: 340, version: 8 } });
 * ```
 */
export interface UpdateProfileResult {
  bindingId: string;
  profile: CardProfile;
}

/**
 * Result of {@link MyCardClient.unbind}: the card's id and its state (`UNBOUND`).
 *
 * @example
 * ```ts
 * const { state }: UnbindResult = await client.unbind({ bindingId });
 * ```
 */
export interface UnbindResult {
  bindingId: string;
  state: string;
}

/**
 * Result of {@link MyCardClient.resolveOneTimeKey}.
 *
 * @example
 * ```ts
 * const { membershipCode }: OneTimeKeyResolution = await client.resolveOneTimeKey(scanned);
 * ```
 */
export interface OneTimeKeyResolution {
  bindingId: string;
  membershipCode: string;
  /**
   * When your channel first resolved the key. Resolving it again while it is valid (a retry after a
   * lost answer) returns the same resolution; key your accrual on your own order id.
   */
  resolvedAt: string;
  /** Set when a group participant's channel asked: the group program's channel id (PROTOCOL.md §8). */
  programChannelId?: string;
}

/**
 * Input of {@link MyCardClient.sendMessage} (PROTOCOL.md §6, §11).
 *
 * @example
 * ```ts
 * const input: SendMessageInput = {
 *   bindingId, messageId: `expiry-${member.id}-2027-03`, title: 'Points expiring', body: '120 points expire on 31 March.',
 * };
 * ```
 */
export interface SendMessageInput {
  bindingId: string;
  /** Your id of this message, 1–64 visible ASCII characters: a repeat with the same id sends nothing new. */
  messageId: string;
  /** 1–40 characters, one line; shown as text. */
  title: string;
  /** 1–500 characters; shown as text (markup is never rendered). */
  body: string;
  /** An https link the member may open from the message. */
  url?: string;
}

/**
 * Result of {@link MyCardClient.sendMessage}: the message as stored (the same for a repeat).
 *
 * @example
 * ```ts
 * const { sentAt }: SentMessage = await client.sendMessage(input);
 * ```
 */
export interface SentMessage {
  bindingId: string;
  messageId: string;
  /** ISO-8601 UTC time the platform stored it. */
  sentAt: string;
}

/** A binding's state (PROTOCOL.md §6 v1.1). */
export type BindingState = 'RESERVED' | 'APPLIED' | 'ACTIVE' | 'CANCELLED' | 'EXPIRED' | 'UNBOUND';

/**
 * Result of {@link MyCardClient.getBinding}: what became of a binding of this channel.
 *
 * @example
 * ```ts
 * const { state }: BindingStatus = await client.getBinding(bindingId);
 * if (state === 'CANCELLED' || state === 'EXPIRED') offerToAddAgain();
 * ```
 */
export interface BindingStatus {
  bindingId: string;
  state: BindingState;
  /** Present once the binding was applied. */
  membershipCode?: string;
  /** ISO-8601 UTC time of its last change of state. */
  updatedAt: string;
  /** Set when a group participant's channel asked: the group program's channel id (PROTOCOL.md §8). */
  programChannelId?: string;
}

/**
 * The merchant API of the platform (PROTOCOL.md §4.5, §6), each call signed per §3.
 *
 * @example
 * ```ts
 * const client: MyCardClient = createMyCardClient(options);
 * ```
 */
export interface MyCardClient {
  readonly channelId: string;
  /**
   * Apply API: stores the membership code for the binding of `token` and returns where to send
   * the member. Retried on network errors and 5xx: the same token with the same code succeeds
   * again (with a fresh completion token).
   */
  apply(input: ApplyInput): Promise<ApplyResult>;
  /**
   * Sets what the wallet shows on the card. Retried on network errors and 5xx: the version makes
   * a repeat harmless. A `3008` with `retried: true` means an earlier attempt most likely landed.
   */
  updateProfile(input: UpdateProfileInput): Promise<UpdateProfileResult>;
  /** Ends a card from the merchant side. Idempotent, so retried on network errors and 5xx. */
  unbind(input: UnbindInput): Promise<UnbindResult>;
  /**
   * Resolves a scanned "My Code" (18 digits) to this channel's card of its holder. A key resolves
   * once: retried only when the request provably never reached the platform.
   */
  resolveOneTimeKey(oneTimeKey: string): Promise<OneTimeKeyResolution>;
  /**
   * What became of a binding of this channel (`GET /v1/bindings/{bindingId}`): a member who left
   * mid-way may have cancelled, or the binding may have expired. A read, so retried on network
   * errors and 5xx.
   */
  getBinding(bindingId: string): Promise<BindingStatus>;
  /**
   * Sends a message to the card's holder, shown in the wallet's inbox. Idempotent by `messageId`,
   * so retried on network errors and 5xx; the same id with other content is `2101`. A card takes at
   * most 3 messages in any 24 hours: the 4th is a `4029` whose `retryAfter` says when one is free.
   */
  sendMessage(input: SendMessageInput): Promise<SentMessage>;
}

/**
 * The client of a group participant's channel (PROTOCOL.md §8): it looks up the group program's
 * cards — a scanned My Code, a binding's state — and nothing else; the platform answers `1103` to a
 * participant's Apply, profile update, unbind or message, so the type has no such methods. Answers
 * carry `programChannelId`, the group program's channel.
 *
 * @example
 * ```ts
 * const store: MyCardParticipantClient = createMyCardClient({ ...storeCredentials, kind: 'participant' });
 * const { membershipCode } = await store.resolveOneTimeKey(scanned);
 * ```
 */
export interface MyCardParticipantClient
  extends Pick<MyCardClient, 'channelId' | 'resolveOneTimeKey' | 'getBinding'> {
  readonly kind: 'participant';
}

/**
 * Creates a client of the platform's merchant API. Every call carries `X-LINE-ChannelId`, a fresh
 * UUID nonce and an HMAC-SHA256 signature over the exact bytes sent (PROTOCOL.md §3); each retry
 * is signed anew. Errors: {@link MyCardApiError} (the platform said no) and
 * {@link MyCardNetworkError} (no usable answer).
 *
 * @example
 * ```ts
 * import { createMyCardClient } from '@mycard/merchant';
 *
 * const mycard = createMyCardClient({
 *   baseUrl: 'https://mycard.example',
 *   channelId: process.env.MYCARD_CHANNEL_ID!,
 *   channelSecret: process.env.MYCARD_CHANNEL_SECRET!,
 * });
 * const { callbackUrl } = await mycard.apply({ token, membershipCode: member.code });
 * ```
 */
export function createMyCardClient(options: MyCardParticipantClientOptions): MyCardParticipantClient;
export function createMyCardClient(options: MyCardClientOptions): MyCardClient;
export function createMyCardClient(
  options: MyCardClientOptions | MyCardParticipantClientOptions,
): MyCardClient | MyCardParticipantClient {
  const kind: unknown = options.kind;
  if (kind !== undefined && kind !== 'program' && kind !== 'participant') {
    throw new TypeError("kind must be 'program' or 'participant'");
  }
  const client = createProgramClient({ ...options, kind: 'program' });
  if (kind !== 'participant') return client;
  // Only what a participant channel may call: the rest would be 1103 on the wire anyway.
  return {
    kind: 'participant',
    channelId: client.channelId,
    resolveOneTimeKey: client.resolveOneTimeKey,
    getBinding: client.getBinding,
  };
}

function createProgramClient(options: MyCardClientOptions): MyCardClient {
  const transport = toTransport(options);

  return {
    channelId: transport.channelId,

    apply({ token, membershipCode, profile }) {
      const body = profile === undefined ? { token, membershipCode } : { token, membershipCode, profile };
      return sendSignedRequest<ApplyResult>(transport, {
        method: 'POST',
        path: '/v1/bindings/apply',
        body,
        retry: 'idempotent',
      });
    },

    updateProfile({ bindingId, profile }) {
      return sendSignedRequest<UpdateProfileResult>(transport, {
        method: 'POST',
        path: '/v1/cards/profile',
        body: { bindingId, profile },
        retry: 'idempotent',
      });
    },

    unbind({ bindingId, reason }) {
      const body = reason === undefined ? { bindingId } : { bindingId, reason };
      return sendSignedRequest<UnbindResult>(transport, {
        method: 'POST',
        path: '/v1/cards/unbind',
        body,
        retry: 'idempotent',
      });
    },

    async resolveOneTimeKey(oneTimeKey) {
      // The key goes into the URL path: anything but 18 digits is refused before it is sent.
      if (!isOneTimeKey(oneTimeKey)) {
        throw new MyCardError('2101', 'one_time_key_invalid', 'A one-time key is 18 digits.');
      }
      return sendSignedRequest<OneTimeKeyResolution>(transport, {
        method: 'GET',
        path: `/v1/onetimekeys/${oneTimeKey}`,
        retry: 'single-use',
      });
    },

    async getBinding(bindingId) {
      // The id goes into the URL path: only the base64url alphabet is sent.
      if (typeof bindingId !== 'string' || !/^[A-Za-z0-9_-]{22,40}$/.test(bindingId)) {
        throw new MyCardError('2101', 'binding_id_invalid', 'A binding id is 22–40 base64url characters.');
      }
      return sendSignedRequest<BindingStatus>(transport, {
        method: 'GET',
        path: `/v1/bindings/${bindingId}`,
        retry: 'idempotent',
      });
    },

    sendMessage({ bindingId, messageId, title, body, url }) {
      const message =
        url === undefined
          ? { bindingId, messageId, title, body }
          : { bindingId, messageId, title, body, url };
      return sendSignedRequest<SentMessage>(transport, {
        method: 'POST',
        path: '/v1/cards/messages',
        body: message,
        retry: 'idempotent',
      });
    },
  };
}

function toTransport(options: MyCardClientOptions): Transport {
  const { channelId, channelSecret, timeoutMs = 10_000, maxRetries = 2 } = options;
  let baseUrl: URL;
  try {
    baseUrl = new URL(options.baseUrl);
  } catch {
    throw new TypeError('baseUrl must be an absolute URL');
  }
  if ((baseUrl.protocol !== 'https:' && baseUrl.protocol !== 'http:') || baseUrl.search || baseUrl.hash) {
    throw new TypeError('baseUrl must be an http(s) URL without query or fragment');
  }
  if (typeof channelId !== 'string' || !/^\d{10}$/.test(channelId)) {
    throw new TypeError('channelId must be 10 digits');
  }
  if (typeof channelSecret !== 'string' || channelSecret === '') {
    throw new TypeError('channelSecret must be a non-empty string');
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new TypeError('timeoutMs must be a positive number');
  if (!Number.isSafeInteger(maxRetries) || maxRetries < 0) {
    throw new TypeError('maxRetries must be a non-negative integer');
  }
  const fetch = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetch !== 'function') throw new TypeError('No fetch available: pass options.fetch');
  const sdkAgent = `MyCardMerchant/${SDK_VERSION}`;
  return {
    baseUrl,
    channelId,
    channelSecret,
    fetch,
    timeoutMs,
    maxRetries,
    userAgent: options.userAgent ? `${options.userAgent} ${sdkAgent}` : sdkAgent,
    timers: options.timers ?? SYSTEM_TIMERS,
  };
}
