// Compiled with tsc --strict against the package's .d.ts (ESM side).
import {
  type ApplyResult,
  type BindingRequest,
  createMyCardClient,
  createTestBindingRequest,
  MyCardApiError,
  verifyBindingRequest,
} from '@mycard/merchant';

export async function bind(query: URLSearchParams, secret: string): Promise<string> {
  const request: BindingRequest = await verifyBindingRequest(query, {
    channelId: '1234567890',
    issuer: 'https://mycard.example',
    jwksUrl: 'https://mycard.example/.well-known/jwks.json',
  });
  const client = createMyCardClient({
    baseUrl: 'https://mycard.example',
    channelId: '1234567890',
    channelSecret: secret,
  });
  try {
    const applied: ApplyResult = await client.apply({
      token: query.get('token') ?? '',
      membershipCode: '4901234567894',
    });
    return applied.callbackUrl;
  } catch (err) {
    if (err instanceof MyCardApiError && err.returnCode === '3002') return request.callback;
    throw err;
  }
}

export function wrongCallsAreErrors(): void {
  // The types are real, not `any`: tsc fails on an unused directive if this line compiled.
  // @ts-expect-error baseUrl must be a string or URL
  createMyCardClient({ baseUrl: 1, channelId: '1234567890', channelSecret: 'x' });
}

export async function fixture(): Promise<string> {
  const { query } = await createTestBindingRequest({ channelId: '1234567890' });
  const nonce: string = query.nonce;
  return nonce;
}
