import type { Kysely, Transaction } from 'kysely';
import { compiledOnce, slot } from '../store/compiled-query.js';
import type { BindingTable, Database } from '../store/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const bindingById = compiledOnce<BindingTable, [string]>((db) =>
  db.selectFrom('bindings').selectAll().where('id', '=', slot<string>(0)),
);

export async function findBinding(db: Db, id: string): Promise<BindingTable | undefined> {
  return (await db.executeQuery(bindingById(db, [id]))).rows[0];
}

/**
 * A binding the caller has just read or written (same transaction or same request): a miss is a
 * broken invariant, so it throws a plain error that the envelope turns into 9000 / 500.
 */
export async function requireBinding(db: Db, id: string): Promise<BindingTable> {
  const binding = await findBinding(db, id);
  if (!binding) throw new Error(`binding ${id} vanished`);
  return binding;
}

export function findBindingByCompletionHash(db: Db, hash: string): Promise<BindingTable | undefined> {
  return db.selectFrom('bindings').selectAll().where('completion_hash', '=', hash).executeTakeFirst();
}

/** The user's ACTIVE card of the program, if any (3006 / 3011). */
export function findActiveCard(db: Db, channelId: string, userId: string): Promise<BindingTable | undefined> {
  return db
    .selectFrom('bindings')
    .selectAll()
    .where('channel_id', '=', channelId)
    .where('user_id', '=', userId)
    .where('state', '=', 'ACTIVE')
    .executeTakeFirst();
}
