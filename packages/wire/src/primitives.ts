import { CODE_TYPES, type CodeType } from '@mycard/protocol';
import { Type } from 'typebox';

/**
 * The small shapes every body is built from (PROTOCOL.md §1, §7).
 *
 * @example
 * ```ts
 * const Params = Type.Object({ channelId: ChannelId }, { additionalProperties: false });
 * ```
 */
export const ChannelId = Type.String({ pattern: '^[0-9]{10}$', description: '10 decimal digits' });
export const BindingId = Type.String({ pattern: '^[A-Za-z0-9_-]{22,40}$', description: 'opaque base64url' });
/** Binding tokens are a few hundred bytes; completion tokens 43 chars. */
export const Token = Type.String({ minLength: 1, maxLength: 4096 });
export const MembershipCode = Type.String({ minLength: 1, maxLength: 256 });
/** A URL field of a program: at most 2048 characters; scheme and host are checked by checkProgramUrl. */
export const ProgramUrl = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'https URL (http only for localhost)',
});
export const CodeTypeSchema = Type.Unsafe<CodeType>({ type: 'string', enum: [...CODE_TYPES] });

/** The states of a binding (PROTOCOL.md §6, `GET /v1/bindings/{bindingId}`). */
export const BINDING_STATES = ['RESERVED', 'APPLIED', 'ACTIVE', 'CANCELLED', 'EXPIRED', 'UNBOUND'] as const;
export type BindingState = (typeof BINDING_STATES)[number];
export const BindingStateSchema = Type.Unsafe<BindingState>({ type: 'string', enum: [...BINDING_STATES] });

/** The states of a program (PROTOCOL.md §7). */
export const PROGRAM_STATUSES = ['DRAFT', 'IN_REVIEW', 'LIVE', 'SUSPENDED'] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];
export const ProgramStatusSchema = Type.Unsafe<ProgramStatus>({
  type: 'string',
  enum: [...PROGRAM_STATUSES],
});
