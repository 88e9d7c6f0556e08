import type * as Sdk from '@mycard/merchant';
import type { CardProfile as ProtocolCardProfile } from '@mycard/protocol';
import { Value } from 'typebox/value';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApplyBody,
  type ApplyResult,
  type BindingStatus,
  Card,
  CardProfile,
  ConsoleProgram,
  Detail,
  DetailInput,
  NewProgramBody,
  type OneTimeKeyResolution,
  type ProfileUpdateBody,
  ProfileUpdateBody as ProfileUpdateBodySchema,
  type ProfileUpdateResult,
  ProgramPatchBody,
  type SendMessageBody,
  type SentMessage,
  type UnbindBody,
  type UnbindResult,
} from '../src/index.js';

const template = { kind: 'template', description: 'd', benefits: 'b', terms: 't', contact: 'c', links: [] };

describe('wire shapes', () => {
  it('a stored/returned template detail has every field; the input may leave them out', () => {
    expect(Value.Check(Detail, template)).toBe(true);
    expect(Value.Check(Detail, { kind: 'template', description: 'd' })).toBe(false);
    expect(Value.Check(DetailInput, { kind: 'template', description: 'd' })).toBe(true);
    expect(Value.Check(DetailInput, { kind: 'template', extra: 1 })).toBe(false);
    expect(Value.Check(Detail, { kind: 'custom', url: 'https://shop.example/m' })).toBe(true);
    expect(Value.Check(Detail, { kind: 'custom' })).toBe(false);
  });

  it('colours are #rrggbb on the way in and out', () => {
    const program = {
      channelId: '1234567890',
      name: 'Demo',
      codeType: 'EAN13',
      status: 'DRAFT',
      bindingUrl: 'https://shop.example/bind',
      webhookUrl: null,
      organizationId: 'org_AAAAAAAAAAAAAAAA',
      colors: { background: '#112233', foreground: '#ffffff' },
      detail: template,
      logoUrl: null,
      createdAt: '2026-11-27T10:00:00.000Z',
      updatedAt: '2026-11-27T10:00:00.000Z',
    };
    expect(Value.Check(ConsoleProgram, program)).toBe(true);
    expect(
      Value.Check(ConsoleProgram, { ...program, colors: { background: 'red', foreground: '#fff' } }),
    ).toBe(false);
    expect(Value.Check(ConsoleProgram, { ...program, status: 'ARCHIVED' })).toBe(false);
  });

  it('a profile needs its version; a card carries one or null', () => {
    expect(Value.Check(CardProfile, { points: 10 })).toBe(false);
    expect(Value.Check(CardProfile, { points: 10, version: 1 })).toBe(true);
    expect(Value.Check(CardProfile, { points: 10, version: 1, colour: 'x' })).toBe(false);
    const card = {
      bindingId: 'b'.repeat(22),
      channelId: '1234567890',
      state: 'ACTIVE',
      membershipCode: '4901234567894',
      boundAt: '2026-11-27T10:00:00.000Z',
      profile: null,
      program: {
        channelId: '1234567890',
        name: 'Demo',
        codeType: 'EAN13',
        logoUrl: null,
        colors: { background: '#112233', foreground: '#ffffff' },
        detail: template,
      },
      paused: false,
      muted: false,
    };
    expect(Value.Check(Card, card)).toBe(true);
    expect(Value.Check(Card, { ...card, paused: undefined })).toBe(false);
    expect(Value.Check(Card, { ...card, state: 'GONE' })).toBe(false);
  });

  it('program bodies refuse unknown fields; a patch needs at least one field', () => {
    const body = { name: 'Demo', codeType: 'EAN13', bindingUrl: 'https://shop.example/bind' };
    expect(Value.Check(NewProgramBody, body)).toBe(true);
    expect(Value.Check(NewProgramBody, { ...body, status: 'LIVE' })).toBe(false);
    expect(Value.Check(ProgramPatchBody, {})).toBe(false);
    expect(Value.Check(ProgramPatchBody, { name: 'New' })).toBe(true);
  });

  it("the SDK's CardProfile type (@mycard/protocol, for merchants) is exactly the wire's", () => {
    // The SDK keeps a plain TypeScript interface (no TypeBox in a merchant's install); this keeps the
    // two from drifting: a field added to one and not the other fails the typecheck.
    expectTypeOf<ProtocolCardProfile>().toEqualTypeOf<CardProfile>();
  });

  it('what the SDK sends fits the merchant bodies, and what the platform answers fits what it reads', () => {
    expectTypeOf<Sdk.ApplyInput>().toEqualTypeOf<ApplyBody>();
    expectTypeOf<Sdk.UpdateProfileInput>().toEqualTypeOf<ProfileUpdateBody>();
    expectTypeOf<Sdk.UnbindInput>().toEqualTypeOf<UnbindBody>();
    expectTypeOf<ApplyResult>().toEqualTypeOf<Sdk.ApplyResult>();
    expectTypeOf<ProfileUpdateResult>().toEqualTypeOf<Sdk.UpdateProfileResult>();
    expectTypeOf<OneTimeKeyResolution>().toEqualTypeOf<Sdk.OneTimeKeyResolution>();
    expectTypeOf<BindingStatus>().toEqualTypeOf<Sdk.BindingStatus>();
    expectTypeOf<Sdk.SendMessageInput>().toEqualTypeOf<SendMessageBody>();
    expectTypeOf<SentMessage>().toEqualTypeOf<Sdk.SentMessage>();
    // The SDK reads the state as a string; the wire says which.
    expectTypeOf<UnbindResult>().toExtend<Sdk.UnbindResult>();
    const sent: Sdk.ApplyInput = { token: 't', membershipCode: '4901234567894', profile: { version: 1 } };
    expect(Value.Check(ApplyBody, sent)).toBe(true);
    // A profile update merges (§6 v1.1): null clears a field; version is never null.
    const clear = { bindingId: 'b'.repeat(22), profile: { level: null, points: 3, version: 2 } };
    expect(Value.Check(ProfileUpdateBodySchema, clear)).toBe(true);
    expect(Value.Check(ProfileUpdateBodySchema, { ...clear, profile: { version: null } })).toBe(false);
    expect(Value.Check(CardProfile, { level: null, version: 2 })).toBe(false);
  });
});
