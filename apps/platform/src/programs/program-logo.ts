import type { Insertable, Kysely } from 'kysely';
import { imageEtag } from '../http/public-image.js';
import type { Database } from '../store/schema.js';
import { logoDhash } from './look-alikes/logo-hash.js';

/** Logo limits (PROTOCOL.md §7): PNG, JPEG or WebP, checked by content, at most 512 KiB. */
export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type LogoType = (typeof LOGO_TYPES)[number];
export const LOGO_MAX_BYTES = 512 * 1024;

/**
 * The image type of `bytes` by its signature ("magic bytes"), or undefined. The declared
 * Content-Type is never trusted on its own: a stored logo is served with this type and `nosniff`.
 */
export function sniffImageType(bytes: Uint8Array): LogoType | undefined {
  const starts = (sig: number[], at = 0) => sig.every((b, i) => bytes[at + i] === b);
  if (bytes.length >= 8 && starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (bytes.length >= 3 && starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  // RIFF <size> WEBP
  if (bytes.length >= 12 && starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8))
    return 'image/webp';
  return undefined;
}

export interface StoredLogo {
  contentType: LogoType;
  data: Buffer;
  updatedAt: string;
  /** Strong validator for conditional GETs. */
  etag: string;
}

/** Stores (or replaces) a program's logo with its perceptual hash. The caller has checked type and size. */
export async function saveProgramLogo(
  ctx: { db: Kysely<Database>; now: () => Date },
  channelId: string,
  contentType: LogoType,
  data: Buffer,
): Promise<void> {
  await upsertProgramLogo(ctx.db, {
    channel_id: channelId,
    content_type: contentType,
    data_base64: data.toString('base64'),
    updated_at: ctx.now().toISOString(),
    dhash: (await logoDhash(data)) ?? null,
  });
}

/** Writes a program's logo row, replacing the one it had (an upload, or an approved revision's logo). */
export async function upsertProgramLogo(
  db: Kysely<Database>,
  row: Insertable<Database['program_logos']>,
): Promise<void> {
  await db
    .insertInto('program_logos')
    .values(row)
    .onConflict((oc) =>
      oc.column('channel_id').doUpdateSet({
        content_type: row.content_type,
        data_base64: row.data_base64,
        updated_at: row.updated_at,
        dhash: row.dhash,
      }),
    )
    .execute();
}

export async function getProgramLogo(
  db: Kysely<Database>,
  channelId: string,
): Promise<StoredLogo | undefined> {
  const row = await db
    .selectFrom('program_logos')
    .selectAll()
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  if (!row) return undefined;
  const data = Buffer.from(row.data_base64, 'base64');
  return {
    contentType: row.content_type as LogoType,
    data,
    updatedAt: row.updated_at,
    etag: imageEtag(data),
  };
}

/**
 * Public path of a program's logo (served by routes/public/logo.ts). With the logo's update time it
 * is versioned (`?v=` {@link logoVersion}): a new upload or an approved revision changes the URL, so
 * a wallet shows the new logo at once although a logo may be cached for five minutes; the URL
 * without a version, or with an old one, keeps answering with the current logo.
 */
export function logoPath(channelId: string, updatedAt?: string): string {
  const base = `/v1/programs/${channelId}/logo`;
  return updatedAt === undefined ? base : `${base}?v=${logoVersion(updatedAt)}`;
}

/** The version of a stored logo in its URL: its update time (ms) in base 36, e.g. `mip7k2x1c`. */
export function logoVersion(updatedAt: string): string {
  const ms = Date.parse(updatedAt);
  return Number.isFinite(ms) ? ms.toString(36) : '0';
}
