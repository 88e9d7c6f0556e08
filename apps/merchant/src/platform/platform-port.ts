/**
 * Everything the merchant system asks of the My Card platform, through `@mycard/merchant` only.
 * Routes and flows depend on this interface; `createPlatformPort` binds it to the SDK and to the
 * configured channel. Without credentials every call fails with `not_configured`, so the member
 * site and the ledger still run before the program is registered.
 */
import {
  type ApplyInput,
  type ApplyResult,
  type BindingRequest,
  type BindingStatus,
  createMyCardClient,
  type MyCardClient,
  type SendMessageInput,
  verifyBindingRequest,
  verifyWebhook,
} from '@mycard/merchant';
import type { CardProfileUpdate, WebhookEvent } from '@mycard/protocol';
import { MerchantError } from '../errors.js';

export interface BindingQuery {
  nonce?: unknown;
  callback?: unknown;
  token?: unknown;
}

export interface PlatformPort {
  readonly channelId: string | undefined;
  verifyBindingRequest(query: BindingQuery): Promise<BindingRequest>;
  apply(input: ApplyInput): Promise<ApplyResult>;
  updateProfile(bindingId: string, profile: CardProfileUpdate): Promise<void>;
  unbind(bindingId: string, reason?: string): Promise<void>;
  resolveOneTimeKey(key: string): Promise<{ bindingId: string; membershipCode: string }>;
  /** A card message (PROTOCOL.md §6, §11); idempotent by `messageId`. */
  sendMessage(message: SendMessageInput): Promise<void>;
  getBinding(bindingId: string): Promise<BindingStatus>;
  verifyWebhook(input: {
    headers: Record<string, string | string[] | undefined>;
    rawBody: string;
  }): Promise<WebhookEvent>;
}

export interface PlatformPortOptions {
  channelId: string;
  channelSecret: string;
  platformUrl: string;
  issuer: string;
  jwksUrl: string;
  /** Path of this site's webhook URL (the HMAC covers it). */
  webhookPath: string;
  /** Timeout of the outbox's calls (profile updates, messages); default 5 s. */
  syncTimeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export function createPlatformPort(options: PlatformPortOptions): PlatformPort {
  const { channelId, channelSecret } = options;
  if (!channelId || !channelSecret) return unconfiguredPort();
  const base = {
    baseUrl: options.platformUrl,
    channelId,
    channelSecret,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  // Interactive calls (Apply, unbind, My Code at the till) may retry a little inside the SDK; the
  // outbox worker retries on its own schedule, so its client fails fast.
  const client: MyCardClient = createMyCardClient({ ...base, timeoutMs: 10_000 });
  const syncClient: MyCardClient = createMyCardClient({
    ...base,
    timeoutMs: options.syncTimeoutMs ?? 5_000,
    maxRetries: 0,
  });
  return {
    channelId,
    verifyBindingRequest: (query) =>
      verifyBindingRequest(query, {
        channelId,
        issuer: options.issuer,
        jwksUrl: options.jwksUrl,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.now ? { now: options.now } : {}),
      }),
    apply: (input) => client.apply(input),
    updateProfile: async (bindingId, profile) => {
      await syncClient.updateProfile({ bindingId, profile });
    },
    unbind: async (bindingId, reason) => {
      await client.unbind(reason === undefined ? { bindingId } : { bindingId, reason });
    },
    resolveOneTimeKey: (key) => client.resolveOneTimeKey(key),
    sendMessage: async (message) => {
      await syncClient.sendMessage(message);
    },
    getBinding: (bindingId) => client.getBinding(bindingId),
    verifyWebhook: ({ headers, rawBody }) =>
      verifyWebhook({
        headers,
        rawBody,
        path: options.webhookPath,
        channelSecret,
        channelId,
        ...(options.now ? { now: options.now } : {}),
      }),
  };
}

function unconfiguredPort(): PlatformPort {
  const fail = async (): Promise<never> => {
    throw new MerchantError('not_configured');
  };
  return {
    channelId: undefined,
    verifyBindingRequest: fail,
    apply: fail,
    updateProfile: fail,
    unbind: fail,
    resolveOneTimeKey: fail,
    sendMessage: fail,
    getBinding: fail,
    verifyWebhook: fail,
  };
}
