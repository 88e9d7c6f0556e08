import type { Kysely } from 'kysely';
import type { Database, ProgramStatus } from '../../store/schema.js';
import { logoPath } from '../program-logo.js';
import { hammingDistance, LOGO_DISTANCE_THRESHOLD, logoDhash } from './logo-hash.js';
import { compareNames, type NameMatch } from './normalize-name.js';

export interface LookAlikeProgram {
  channelId: string;
  name: string;
  status: ProgramStatus;
  operatorId: string | null;
  logoUrl: string | null;
  bindingHost: string;
}

export interface LookAlikes {
  /** LIVE programs whose name resembles one of the reviewed names. */
  byName: (LookAlikeProgram & { match: NameMatch })[];
  /** LIVE programs whose logo is within {@link LOGO_DISTANCE_THRESHOLD} bits of a reviewed logo. */
  byLogo: (LookAlikeProgram & { distance: number })[];
  /** Other programs (any state) whose binding URL has the same host. */
  byBindingHost: LookAlikeProgram[];
}

/** At most this many LIVE programs are compared per review (newest first). */
const SCAN_LIMIT = 5000;

/**
 * What the review screen puts beside a program (issue 14): existing LIVE programs of similar names
 * (normalized, width- and case-insensitive), of similar logos (dHash distance) and of the same
 * binding URL host. The reviewed program itself is left out. Hashes of logos stored before hashing
 * existed are computed here once and kept.
 */
export async function findLookAlikes(
  db: Kysely<Database>,
  subject: { channelId: string; names: string[]; dhashes: string[]; bindingHosts: string[] },
): Promise<LookAlikes> {
  const rows = await db
    .selectFrom('programs')
    .leftJoin('program_logos', 'program_logos.channel_id', 'programs.channel_id')
    .select([
      'programs.channel_id',
      'programs.name',
      'programs.status',
      'programs.operator_id',
      'programs.binding_url',
      'program_logos.dhash',
      'program_logos.updated_at as logo_at',
    ])
    .where('programs.channel_id', '!=', subject.channelId)
    .orderBy('programs.created_at', 'desc')
    .limit(SCAN_LIMIT)
    .execute();
  const out: LookAlikes = { byName: [], byLogo: [], byBindingHost: [] };
  const hosts = new Set(subject.bindingHosts.map((h) => h.toLowerCase()));
  for (const row of rows) {
    const program: LookAlikeProgram = {
      channelId: row.channel_id,
      name: row.name,
      status: row.status,
      operatorId: row.operator_id,
      logoUrl: row.logo_at ? logoPath(row.channel_id, row.logo_at) : null,
      bindingHost: hostOf(row.binding_url),
    };
    if (hosts.has(program.bindingHost)) out.byBindingHost.push(program);
    if (row.status !== 'LIVE') continue;
    const match = bestNameMatch(subject.names, row.name);
    if (match) out.byName.push({ ...program, match });
    if (row.logo_at && subject.dhashes.length > 0) {
      const hash = row.dhash ?? (await backfillDhash(db, row.channel_id));
      if (!hash) continue;
      const distance = Math.min(...subject.dhashes.map((h) => hammingDistance(h, hash)));
      if (distance <= LOGO_DISTANCE_THRESHOLD) out.byLogo.push({ ...program, distance });
    }
  }
  const rank: Record<NameMatch, number> = { same: 0, contains: 1, similar: 2 };
  out.byName.sort((a, b) => rank[a.match] - rank[b.match] || a.name.localeCompare(b.name));
  out.byLogo.sort((a, b) => a.distance - b.distance);
  return out;
}

function bestNameMatch(names: string[], other: string): NameMatch | undefined {
  const matches = names.map((n) => compareNames(n, other)).filter((m) => m !== undefined);
  for (const m of ['same', 'contains', 'similar'] as const) if (matches.includes(m)) return m;
  return undefined;
}

/** The lower-cased host of a URL ('' when it does not parse). */
export function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

async function backfillDhash(db: Kysely<Database>, channelId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('program_logos')
    .select('data_base64')
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  if (!row) return undefined;
  const hash = await logoDhash(Buffer.from(row.data_base64, 'base64'));
  if (hash)
    await db.updateTable('program_logos').set({ dhash: hash }).where('channel_id', '=', channelId).execute();
  return hash;
}
