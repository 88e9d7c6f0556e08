import {
  Card,
  ConsoleProgram,
  ConsoleSession,
  ProgramDetails,
  ProgramListing,
  ProgramSummary,
  WalletSession,
} from '@mycard/wire';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, signUp } from '../console/console-client.js';
import { addCard } from '../helpers/cards.js';
import { code, type HttpPlatform, merchantClient, startHttpPlatform } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';

/** The problems of `value` against `schema` (empty when it conforms): a readable failure. */
function problems(schema: TSchema, value: unknown): string[] {
  return [...Value.Errors(schema, value)].map((e) => `${e.instancePath || '/'}: ${e.message}`);
}

/**
 * What the platform sends is what @mycard/wire declares (the types the wallet and the console read).
 * Fastify serializes with the schema but does not validate the answer, so this checks the real JSON.
 */
describe.each(DIALECTS)('answers conform to the @mycard/wire shapes on %s', (dialect) => {
  let platform: HttpPlatform;
  beforeAll(async () => {
    platform = await startHttpPlatform(dialect);
  });
  afterAll(async () => {
    await platform?.close();
  });

  it('console: a template detail sent with fields left out comes back with every field', async () => {
    const op = await signUp(platform, 'shapes@example.com');
    const me = await call(platform, op, 'GET', '/me');
    expect(problems(ConsoleSession.properties.operator, me.json().info.operator)).toEqual([]);
    const created = await call(platform, op, 'POST', '/programs', {
      name: 'Shape Mart',
      codeType: 'EAN13',
      bindingUrl: 'https://shop.example/bind',
      detail: { kind: 'template', description: 'Points on every visit' },
    });
    expect(created.statusCode).toBe(201);
    const program = created.json().info.program;
    expect(problems(ConsoleProgram, program)).toEqual([]);
    expect(program.detail).toEqual({
      kind: 'template',
      description: 'Points on every visit',
      benefits: '',
      terms: '',
      contact: '',
      links: [],
    });
    const details = await call(platform, op, 'GET', `/programs/${program.channelId}`);
    expect(problems(ProgramDetails, details.json().info)).toEqual([]);
    const list = (await call(platform, op, 'GET', '/programs')).json().info.programs;
    expect(list).toHaveLength(1);
    for (const row of list) expect(problems(ProgramSummary, row)).toEqual([]);
  });

  it('wallet: sessions, program listings and cards (with and without a profile)', async () => {
    const creds = await platform.program({
      name: 'Card Mart',
      detail: { kind: 'template', description: '', benefits: '', terms: '', contact: '', links: [] },
    });
    const alice = await platform.wallet('shapes-alice');
    const session = await alice.get('/v1/session');
    expect(problems(WalletSession, session.body.info)).toEqual([]);
    const listed = (await alice.get('/v1/programs?query=card%20mart')).body.info.programs;
    expect(listed).toHaveLength(1);
    expect(problems(ProgramListing, listed[0])).toEqual([]);

    await addCard(platform, alice, creds, code(1));
    const second = await platform.program({ name: 'Profile Mart' });
    const bindingId = await addCard(platform, alice, second, code(2));
    await merchantClient(platform, second).updateProfile({
      bindingId,
      profile: { displayName: 'Alice', points: 120, version: 1 },
    });
    const cards = (await alice.get('/v1/cards')).body.info.cards;
    expect(cards).toHaveLength(2);
    for (const card of cards) expect(problems(Card, card)).toEqual([]);
    expect(cards.map((c: { profile: unknown }) => c.profile)).toContainEqual({
      displayName: 'Alice',
      points: 120,
      version: 1,
    });
    expect(cards.map((c: { profile: unknown }) => c.profile)).toContainEqual(null);
  });
});
