import { ApiError } from '@mycard/web-kit';
import type { MessageKey } from '../i18n/en.js';

const BY_RETURN_CODE: Record<string, MessageKey> = {
  '1102': 'error.notAvailable',
  '3001': 'error.state',
  '3002': 'error.expired',
  '3003': 'error.notFound',
  '3004': 'error.state',
  '3005': 'error.codeTaken',
  '3006': 'error.alreadyHeld',
  '3007': 'error.otherAccount',
  '4001': 'error.session',
  '4003': 'error.forbidden',
  '4004': 'error.notFound',
  '4029': 'error.rateLimited',
  NETWORK: 'error.network',
  LINE_LOGIN: 'error.lineLogin',
};

export interface FriendlyError {
  messageKey: MessageKey;
  /** "3007-abc123": the return code and request id, for support. Absent for non-API errors. */
  supportReference?: string;
}

/**
 * What to tell a person about `error`: a message from the catalogue (never the raw return code or
 * the platform's English `returnMessage`) and a support reference.
 */
export function friendlyError(error: unknown): FriendlyError {
  if (error instanceof ApiError) {
    return {
      messageKey: BY_RETURN_CODE[error.returnCode] ?? 'error.generic',
      supportReference: error.reference,
    };
  }
  return { messageKey: 'error.generic' };
}
