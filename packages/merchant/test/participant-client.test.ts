import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';
import {
  createMyCardClient,
  type MyCardClient,
  type MyCardClientOptions,
  type MyCardParticipantClient,
  type MyCardParticipantClientOptions,
} from '../src/index.js';
import {
  CHANNEL_ID,
  CHANNEL_SECRET,
  type FakePlatform,
  ok,
  startFakePlatform,
} from './support/fake-platform.js';

const KEY = '123456789012345678';
const BINDING = 'b_0123456789abcdefghijkl';

/**
 * The participant client (PROTOCOL.md §8): `createMyCardClient({ …, kind: 'participant' })` on a
 * group participant's own channel has exactly the calls such a channel may make, in its type and in
 * the object, and signs them with the participant's credentials.
 */
describe("createMyCardClient — a group participant's channel", () => {
  let platform: FakePlatform;
  beforeEach(async () => {
    platform = await startFakePlatform();
  });
  afterEach(async () => {
    await platform.close();
  });
  const options = (): MyCardParticipantClientOptions => ({
    baseUrl: platform.url,
    channelId: CHANNEL_ID,
    channelSecret: CHANNEL_SECRET,
    kind: 'participant',
    maxRetries: 0,
  });

  it('its type has only the lookups; the program client keeps every call', () => {
    expectTypeOf(createMyCardClient(options())).toEqualTypeOf<MyCardParticipantClient>();
    expectTypeOf<MyCardParticipantClient>().toHaveProperty('resolveOneTimeKey');
    expectTypeOf<MyCardParticipantClient>().toHaveProperty('getBinding');
    expectTypeOf<keyof MyCardParticipantClient>().toEqualTypeOf<
      'kind' | 'channelId' | 'resolveOneTimeKey' | 'getBinding'
    >();
    const programOptions: MyCardClientOptions = {
      baseUrl: 'https://mycard.example',
      channelId: CHANNEL_ID,
      channelSecret: 'x',
    };
    expectTypeOf(createMyCardClient(programOptions)).toEqualTypeOf<MyCardClient>();
    expectTypeOf(createMyCardClient({ ...programOptions, kind: 'program' })).toEqualTypeOf<MyCardClient>();
    // A participant client passed where a program client is expected does not compile.
    const takesProgram = (_c: MyCardClient) => undefined;
    // @ts-expect-error no apply, updateProfile, unbind or sendMessage on a participant client
    takesProgram(createMyCardClient(options()));
  });

  it('resolves a My Code and reads a binding, signed with its own channel, and reads programChannelId', async () => {
    platform.on(`GET /v1/onetimekeys/${KEY}`, () =>
      ok({
        bindingId: BINDING,
        membershipCode: 'M-1',
        resolvedAt: '2026-12-02T10:00:00.000Z',
        programChannelId: '9876543210',
      }),
    );
    platform.on(`GET /v1/bindings/${BINDING}`, () =>
      ok({
        bindingId: BINDING,
        state: 'ACTIVE',
        membershipCode: 'M-1',
        updatedAt: '2026-12-02T10:00:00.000Z',
        programChannelId: '9876543210',
      }),
    );
    const client = createMyCardClient(options());
    expect(client.kind).toBe('participant');
    expect((await client.resolveOneTimeKey(KEY)).programChannelId).toBe('9876543210');
    expect((await client.getBinding(BINDING)).state).toBe('ACTIVE');
    expect(platform.requests.map((r) => [r.path, r.signatureValid, r.headers['x-line-channelid']])).toEqual([
      [`/v1/onetimekeys/${KEY}`, true, CHANNEL_ID],
      [`/v1/bindings/${BINDING}`, true, CHANNEL_ID],
    ]);
  });

  it('has no other call at run time either, and an unknown kind is refused', () => {
    const client = createMyCardClient(options()) as unknown as Record<string, unknown>;
    expect(Object.keys(client).sort()).toEqual(['channelId', 'getBinding', 'kind', 'resolveOneTimeKey']);
    for (const call of ['apply', 'updateProfile', 'unbind', 'sendMessage'])
      expect(client[call]).toBeUndefined();
    expect(() =>
      createMyCardClient({ ...options(), kind: 'store' } as unknown as MyCardParticipantClientOptions),
    ).toThrow(TypeError);
    defined(client.getBinding);
  });
});
