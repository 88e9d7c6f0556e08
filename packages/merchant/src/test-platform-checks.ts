import { type CardProfile, MyCardError } from '@mycard/protocol';

/** Body schema checks of the fake platform: required fields by type, no unknown field (2101). */
export function checkShape(
  body: unknown,
  required: Record<string, 'string' | 'object'>,
  optional: string[],
): asserts body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid();
  for (const [name, type] of Object.entries(required)) {
    const value = (body as Record<string, unknown>)[name];
    if (
      type === 'string'
        ? typeof value !== 'string' || value === ''
        : typeof value !== 'object' || value === null
    ) {
      throw invalid();
    }
  }
  for (const name of Object.keys(body)) if (!(name in required) && !optional.includes(name)) throw invalid();
}

const PROFILE_FIELDS = ['displayName', 'level', 'points', 'pointsExpireAt', 'expiringPoints', 'version'];

/**
 * A card profile (PROTOCOL.md §4.5, §6): `version` a non-negative integer; `null` clears a field
 * only in an update (`nullable`).
 */
export function checkProfile(value: unknown, nullable = false): CardProfile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid();
  const profile = value as Record<string, unknown>;
  for (const name of Object.keys(profile)) if (!PROFILE_FIELDS.includes(name)) throw invalid();
  if (!Number.isSafeInteger(profile.version) || (profile.version as number) < 0) throw invalid();
  for (const name of ['displayName', 'level', 'pointsExpireAt'] as const) {
    const v = profile[name];
    if (v !== undefined && !(v === null && nullable) && (typeof v !== 'string' || v.length > 64))
      throw invalid();
  }
  if (typeof profile.pointsExpireAt === 'string' && Number.isNaN(Date.parse(profile.pointsExpireAt))) {
    throw invalid();
  }
  for (const name of ['points', 'expiringPoints'] as const) {
    const v = profile[name];
    if (v !== undefined && !(v === null && nullable) && !Number.isSafeInteger(v)) throw invalid();
  }
  return profile as unknown as CardProfile;
}

/** A profile update merges (PROTOCOL.md §6): absent keeps, `null` clears. */
export function mergeProfile(stored: CardProfile | undefined, update: CardProfile): CardProfile {
  const merged: Record<string, unknown> = { ...stored };
  for (const [name, v] of Object.entries(update)) {
    if (v === null) delete merged[name];
    else merged[name] = v;
  }
  return merged as unknown as CardProfile;
}

function invalid(): MyCardError {
  return new MyCardError('2101', 'request_invalid');
}
