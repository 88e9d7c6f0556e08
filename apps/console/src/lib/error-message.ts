import { ApiError } from '@mycard/web-kit';
import type { MessageKey } from '../i18n/en.js';
import type { Translate } from '../i18n/translate.js';

/**
 * What a person reads when a call fails: a friendly sentence chosen by the return code (never the
 * code itself) and a support reference. `overrides` lets a screen say something more precise
 * (the sign-in form turns 4001 into "wrong e-mail or password").
 */
export interface FriendlyError {
  message: string;
  reference: string | undefined;
}

export function messageKeyOf(error: unknown): { key: MessageKey; seconds?: number } {
  if (!(error instanceof ApiError)) return { key: 'error.server' };
  switch (error.returnCode) {
    case 'NETWORK':
      return { key: 'error.network' };
    case '4001':
      return { key: 'error.session' };
    case '4003':
      return { key: 'error.forbidden' };
    case '4004':
    case '1101':
      return { key: 'error.notFound' };
    case '2101':
    case '2103':
      return { key: 'error.invalid' };
    case '2102':
      return { key: 'error.tooLarge' };
    case '4029':
      return { key: 'error.rateLimited', seconds: error.retryAfter ?? 60 };
  }
  if (error.status === 409) return { key: 'error.conflict' };
  if (error.status === 413) return { key: 'error.tooLarge' };
  if (error.status === 415) return { key: 'error.unsupported' };
  if (error.status === 404) return { key: 'error.notFound' };
  if (error.status === 400) return { key: 'error.invalid' };
  return { key: 'error.server' };
}

export function friendlyError(
  error: unknown,
  t: Translate,
  overrides: Partial<Record<string, MessageKey>> = {},
): FriendlyError {
  const reference = error instanceof ApiError ? error.reference : undefined;
  const override = error instanceof ApiError ? overrides[error.returnCode] : undefined;
  if (override) return { message: t(override), reference };
  const { key, seconds } = messageKeyOf(error);
  return { message: t(key, seconds === undefined ? undefined : { seconds }), reference };
}
