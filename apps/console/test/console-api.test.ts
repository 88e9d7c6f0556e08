import { createApiClient } from '@mycard/web-kit';
import { type FetchCall as Call, jsonResponse as envelope, fakeFetch } from '@mycard/web-kit/testing';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import { createConsoleApi } from '../src/api/console-api.js';

describe('console API over the web kit client', () => {
  it('sends state-changing calls as JSON with same-origin credentials, GET without a body', async () => {
    const { fetch, calls } = fakeFetch(() => envelope(200, { returnCode: '0000', info: {} }));
    const api = createConsoleApi(createApiClient({ fetch }));
    await api.me();
    await api.signIn({ email: 'a@example.com', password: 'secret123' });
    await api.setStatus('1234567890', 'LIVE');
    await api.revealSecret('1234567890');
    await api.signOut();
    const [me, signIn, status, reveal, signOut] = calls as [Call, Call, Call, Call, Call];
    expect(me.init.method).toBe('GET');
    expect(me.init.body).toBeUndefined();
    expect(signIn).toMatchObject({
      url: '/v1/console/session',
      init: { method: 'POST', credentials: 'same-origin' },
    });
    expect((signIn.init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(JSON.parse(signIn.init.body as string)).toEqual({ email: 'a@example.com', password: 'secret123' });
    expect(status.url).toBe('/v1/console/programs/1234567890/status');
    expect(JSON.parse(status.init.body as string)).toEqual({ status: 'LIVE' });
    expect((reveal.init.headers as Record<string, string>)['content-type']).toBe('application/json');
    expect(signOut.init.method).toBe('DELETE');
  });

  it('uploads a logo as the raw image with its content type', async () => {
    const { fetch, calls } = fakeFetch(() => envelope(200, { returnCode: '0000', info: {} }));
    const image = new Blob([new Uint8Array([0x89, 0x50])], { type: 'image/png' });
    await createConsoleApi(createApiClient({ fetch })).uploadLogo('1234567890', image);
    expect(defined(calls[0]).url).toBe('/v1/console/programs/1234567890/logo');
    expect(defined(calls[0]).init.method).toBe('PUT');
    expect((defined(calls[0]).init.headers as Record<string, string>)['content-type']).toBe('image/png');
    expect(defined(calls[0]).init.body).toBe(image);
  });

  it('returns the PEM as text', async () => {
    const pem = '-----BEGIN PUBLIC KEY-----\nMFk=\n-----END PUBLIC KEY-----\n';
    const { fetch } = fakeFetch(
      () => new Response(pem, { status: 200, headers: { 'content-type': 'application/x-pem-file' } }),
    );
    await expect(createConsoleApi(createApiClient({ fetch })).platformKeyPem()).resolves.toBe(pem);
  });
});
