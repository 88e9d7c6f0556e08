/**
 * @mycard/merchant — the merchant SDK of My Card: verify binding requests, call the platform's
 * merchant API with HMAC signatures and safe retries, verify webhooks.
 *
 * @packageDocumentation
 */

// The protocol's errors and types a merchant meets through this SDK, so one import is enough.
export {
  type CardProfile,
  type CardProfileUpdate,
  type ErrorReturnCode,
  MyCardError,
  type ReturnCode,
  SignatureError,
  signRequest,
  TokenExpiredError,
  TokenInvalidError,
  type WebhookEvent,
  type WebhookEventType,
} from '@mycard/protocol';
export * from './build-cancel-url.js';
export * from './create-my-card-client.js';
export * from './create-remote-key-set.js';
export * from './create-test-binding-request.js';
export * from './create-test-platform.js';
export * from './create-webhook-handler.js';
export * from './errors.js';
export * from './fastify-webhook.js';
export * from './generate-test-signature-headers.js';
export type { WebhookAnswer, WebhookOptions } from './process-webhook-delivery.js';
export { WEBHOOK_MAX_BODY_BYTES } from './process-webhook-delivery.js';
export { type ClientTimers, type RetryPolicy, SYSTEM_TIMERS } from './retry-policy.js';
export type { FetchLike } from './send-signed-request.js';
export * from './verify-binding-request.js';
export * from './verify-webhook.js';
export { SDK_VERSION } from './version.js';
