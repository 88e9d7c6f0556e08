import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { type ConsoleOperator, call, createTestProgram, signUp } from '../console/console-client.js';
import { addMemberDirectly, ownOrganizationId, snapshotConsoleState } from '../helpers/organizations.js';
import {
  concurrencyTitle,
  createClock,
  DIALECTS,
  startTestPlatform,
  type TestPlatform,
} from '../helpers/platform.js';

const DAY = 24 * 60 * 60;

/**
 * Invitations and members (PROTOCOL.md §7): single-use links valid 7 days bound to one e-mail, made
 * by owners; role changes and removals by owners; the last owner stays. Attacks first, each showing
 * that nothing was stored.
 */
describe.each(DIALECTS)('invitations and members on %s (PROTOCOL.md §7)', (dialect) => {
  let platform: TestPlatform;
  const clock = createClock();
  let owner: ConsoleOperator;
  let organizationId: string;
  let channelId: string;
  let n = 0;

  beforeAll(async () => {
    // Sessions outlive the 7 days the expiry test moves the clock by.
    platform = await startTestPlatform(dialect, { consoleSessionTtl: 30 * DAY }, { now: clock.now });
    owner = await signUp(platform, 'owner@shop.example');
    organizationId = await ownOrganizationId(platform, owner);
    channelId = (await createTestProgram(platform, owner)).channelId;
  });
  afterAll(async () => {
    await platform?.close();
  });

  /** A fresh operator (signed up, in no organization but their own). */
  async function person(name: string): Promise<ConsoleOperator> {
    n += 1;
    return signUp(platform, `${name}-${n}@shop.example`);
  }

  async function invite(email: string, role = 'developer', by: ConsoleOperator = owner) {
    const res = await call(platform, by, 'POST', `/organizations/${organizationId}/invitations`, {
      email,
      role,
    });
    expect([res.statusCode, res.json().returnCode]).toEqual([201, '0000']);
    const info = res.json().info as { invitation: { invitationId: string }; acceptUrl: string };
    const token = defined(/#\/invite\/([A-Za-z0-9_-]{43})$/.exec(info.acceptUrl)?.[1]);
    return { invitationId: info.invitation.invitationId, token, acceptUrl: info.acceptUrl, res };
  }

  const accept = (op: ConsoleOperator | undefined, token: string) =>
    call(platform, op, 'POST', '/invitations/accept', { token });

  async function roleIn(op: ConsoleOperator): Promise<string | undefined> {
    const row = await platform.ctx.db
      .selectFrom('organization_members')
      .select('role')
      .where('organization_id', '=', organizationId)
      .where('operator_id', '=', op.id)
      .executeTakeFirst();
    return row?.role;
  }

  /** Expects `res` to be a refusal with `code` and the console's tables unchanged since `before`. */
  async function refusedUnchanged(
    res: { statusCode: number; json(): { returnCode: string } },
    status: number,
    code: string,
    before: string,
  ) {
    expect([res.statusCode, res.json().returnCode]).toEqual([status, code]);
    expect(await snapshotConsoleState(platform)).toBe(before);
  }

  it('an owner invites: the link carries the token in its fragment, shown once; only its hash is stored', async () => {
    const dev = await person('dev');
    const { token, acceptUrl, res, invitationId } = await invite(dev.email);
    expect(acceptUrl.startsWith(`${platform.ctx.config.publicUrl}/console/#/invite/`)).toBe(true);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).not.toContain('tokenHash');
    // Nowhere in the database in clear text.
    expect(await snapshotConsoleState(platform)).not.toContain(token);
    const list = await call(platform, owner, 'GET', `/organizations/${organizationId}/invitations`);
    expect(list.json().info.invitations).toContainEqual(
      expect.objectContaining({ invitationId, email: dev.email, role: 'developer' }),
    );
    expect(list.body).not.toContain(token);
    const invitation = list
      .json()
      .info.invitations.find((i: { invitationId: string }) => i.invitationId === invitationId);
    expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).toBe(7 * DAY * 1000);
  });

  it('accepting joins with the role once; the same link again is 4004 and stores nothing', async () => {
    const dev = await person('dev');
    const { token, invitationId } = await invite(dev.email, 'developer');
    const preview = await call(platform, dev, 'POST', '/invitations/preview', { token });
    expect(preview.json().info.invitation).toMatchObject({ email: dev.email, role: 'developer' });
    const ok = await accept(dev, token);
    expect([ok.statusCode, ok.json().info.organization]).toEqual([
      200,
      expect.objectContaining({ organizationId, role: 'developer' }),
    ]);
    expect(await roleIn(dev)).toBe('developer');
    // The member now sees the organization's program.
    expect((await call(platform, dev, 'GET', `/programs/${channelId}`)).statusCode).toBe(200);
    const list = await call(platform, owner, 'GET', `/organizations/${organizationId}/invitations`);
    expect(list.json().info.invitations.map((i: { invitationId: string }) => i.invitationId)).not.toContain(
      invitationId,
    );

    const other = await person('other');
    const before = await snapshotConsoleState(platform);
    await refusedUnchanged(await accept(dev, token), 404, '4004', before);
    // Used up for anyone else too.
    await refusedUnchanged(await accept(other, token), 404, '4004', before);
  });

  it('another user’s link: an invitation for X accepted by Y is 4003, stores nothing, and X can still use it', async () => {
    const x = await person('x');
    const y = await person('y');
    const { token } = await invite(x.email, 'admin');
    const before = await snapshotConsoleState(platform);
    await refusedUnchanged(await accept(y, token), 403, '4003', before);
    await refusedUnchanged(
      await call(platform, y, 'POST', '/invitations/preview', { token }),
      403,
      '4003',
      before,
    );
    expect(await roleIn(y)).toBeUndefined();
    expect((await accept(x, token)).statusCode).toBe(200);
    expect(await roleIn(x)).toBe('admin');
  });

  it('the e-mail is compared as stored (case-folded at sign-up and at invitation)', async () => {
    n += 1;
    const mixed = await signUp(platform, `Mixed.Case-${n}@Shop.Example`);
    const { token } = await invite(`MIXED.case-${n}@shop.EXAMPLE`, 'viewer');
    expect((await accept(mixed, token)).statusCode).toBe(200);
  });

  it('expiry (injected clock): a link works until 7 days have passed, then 4004 and nothing stored', async () => {
    const late = await person('late');
    const onTime = await person('ontime');
    const a = await invite(late.email);
    const b = await invite(onTime.email);
    clock.advance(7 * DAY - 1);
    expect((await accept(onTime, b.token)).statusCode).toBe(200);
    clock.advance(1);
    const before = await snapshotConsoleState(platform);
    await refusedUnchanged(await accept(late, a.token), 404, '4004', before);
    await refusedUnchanged(
      await call(platform, late, 'POST', '/invitations/preview', { token: a.token }),
      404,
      '4004',
      before,
    );
    // Expired invitations leave the pending list, and cannot be revoked any more.
    const list = await call(platform, owner, 'GET', `/organizations/${organizationId}/invitations`);
    expect(list.body).not.toContain(a.invitationId);
    await refusedUnchanged(
      await call(platform, owner, 'DELETE', `/organizations/${organizationId}/invitations/${a.invitationId}`),
      404,
      '4004',
      before,
    );
  });

  it('a revoked invitation is 4004 for its invitee and stores nothing; revoking twice is 4004', async () => {
    const who = await person('revoked');
    const { token, invitationId } = await invite(who.email);
    const revoke = await call(
      platform,
      owner,
      'DELETE',
      `/organizations/${organizationId}/invitations/${invitationId}`,
    );
    expect([revoke.statusCode, revoke.json().returnCode]).toEqual([200, '0000']);
    const before = await snapshotConsoleState(platform);
    await refusedUnchanged(await accept(who, token), 404, '4004', before);
    await refusedUnchanged(
      await call(platform, owner, 'DELETE', `/organizations/${organizationId}/invitations/${invitationId}`),
      404,
      '4004',
      before,
    );
    expect(await roleIn(who)).toBeUndefined();
  });

  it('role escalation: admins, developers and viewers cannot invite (not even themselves a higher role), nor change roles; nothing stored', async () => {
    const admin = await person('admin');
    const dev = await person('developer');
    const viewer = await person('viewer');
    await addMemberDirectly(platform, organizationId, admin, 'admin');
    await addMemberDirectly(platform, organizationId, dev, 'developer');
    await addMemberDirectly(platform, organizationId, viewer, 'viewer');
    const before = await snapshotConsoleState(platform);
    for (const [op, role] of [
      [admin, 'owner'],
      [admin, 'viewer'],
      [dev, 'admin'],
      [viewer, 'viewer'],
    ] as const) {
      await refusedUnchanged(
        await call(platform, op, 'POST', `/organizations/${organizationId}/invitations`, {
          email: `escalate-${role}@shop.example`,
          role,
        }),
        403,
        '4003',
        before,
      );
    }
    // Promoting oneself or a peer: owners only.
    await refusedUnchanged(
      await call(platform, admin, 'PATCH', `/organizations/${organizationId}/members/${admin.id}`, {
        role: 'owner',
      }),
      403,
      '4003',
      before,
    );
    await refusedUnchanged(
      await call(platform, dev, 'PATCH', `/organizations/${organizationId}/members/${dev.id}`, {
        role: 'admin',
      }),
      403,
      '4003',
      before,
    );
    // An admin removing the owner is refused as well.
    await refusedUnchanged(
      await call(platform, admin, 'DELETE', `/organizations/${organizationId}/members/${owner.id}`),
      403,
      '4003',
      before,
    );
    // The invitee cannot choose a role when accepting: unknown fields are 2101.
    const invitee = await person('invitee');
    const { token } = await invite(invitee.email, 'viewer');
    const mid = await snapshotConsoleState(platform);
    await refusedUnchanged(
      await call(platform, invitee, 'POST', '/invitations/accept', { token, role: 'owner' }),
      400,
      '2101',
      mid,
    );
    expect((await accept(invitee, token)).json().info.organization.role).toBe('viewer');
  });

  it('an owner of another organization cannot revoke, list or use this organization’s invitations', async () => {
    const stranger = await person('stranger');
    const who = await person('target');
    const { invitationId } = await invite(who.email);
    const before = await snapshotConsoleState(platform);
    await refusedUnchanged(
      await call(
        platform,
        stranger,
        'DELETE',
        `/organizations/${organizationId}/invitations/${invitationId}`,
      ),
      403,
      '4003',
      before,
    );
    const strangerOrg = await ownOrganizationId(platform, stranger);
    await refusedUnchanged(
      await call(platform, stranger, 'DELETE', `/organizations/${strangerOrg}/invitations/${invitationId}`),
      404,
      '4004',
      before,
    );
    await refusedUnchanged(
      await call(platform, stranger, 'GET', `/organizations/${organizationId}/invitations`),
      403,
      '4003',
      before,
    );
  });

  it('refusals of the link itself: no session 4001, malformed 2101, unknown 4004 — nothing stored', async () => {
    const who = await person('plain');
    const before = await snapshotConsoleState(platform);
    await refusedUnchanged(await accept(undefined, 'A'.repeat(43)), 401, '4001', before);
    await refusedUnchanged(await accept(who, 'short'), 400, '2101', before);
    await refusedUnchanged(await accept(who, 'A'.repeat(43)), 404, '4004', before);
  });

  it('inviting someone who is a member already is 3004; accepting while a member is 3004 and keeps the link pending', async () => {
    const member = await person('member');
    await addMemberDirectly(platform, organizationId, member, 'viewer');
    const before = await snapshotConsoleState(platform);
    await refusedUnchanged(
      await call(platform, owner, 'POST', `/organizations/${organizationId}/invitations`, {
        email: member.email,
        role: 'admin',
      }),
      409,
      '3004',
      before,
    );
    // Invited before joining another way: the link stays unused.
    const later = await person('later');
    const { token, invitationId } = await invite(later.email, 'admin');
    await addMemberDirectly(platform, organizationId, later, 'viewer');
    const mid = await snapshotConsoleState(platform);
    await refusedUnchanged(await accept(later, token), 409, '3004', mid);
    expect(await roleIn(later)).toBe('viewer');
    const list = await call(platform, owner, 'GET', `/organizations/${organizationId}/invitations`);
    expect(list.body).toContain(invitationId);
  });

  it(
    concurrencyTitle(dialect, 'five simultaneous accepts of one link: one joins, one audit entry'),
    async () => {
      const who = await person('racer');
      const { token, invitationId } = await invite(who.email, 'developer');
      const results = await Promise.all(Array.from({ length: 5 }, () => accept(who, token)));
      expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
      for (const r of results.filter((x) => x.statusCode !== 200))
        expect(['3004', '4004']).toContain(r.json().returnCode);
      const joined = await platform.ctx.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'member.joined')
        .execute();
      expect(joined.filter((j) => JSON.parse(j.details).invitationId === invitationId)).toHaveLength(1);
    },
  );

  it('owners change roles and remove members; a removed member loses access; members leave', async () => {
    const a = await person('changer');
    const b = await person('leaver');
    await addMemberDirectly(platform, organizationId, a, 'viewer');
    await addMemberDirectly(platform, organizationId, b, 'developer');
    const changed = await call(platform, owner, 'PATCH', `/organizations/${organizationId}/members/${a.id}`, {
      role: 'admin',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().info.members).toContainEqual(
      expect.objectContaining({ operatorId: a.id, role: 'admin' }),
    );
    // Any member sees the members list with roles.
    const seen = await call(platform, b, 'GET', `/organizations/${organizationId}`);
    expect(seen.json().info.members).toContainEqual(
      expect.objectContaining({ operatorId: a.id, email: a.email, role: 'admin' }),
    );
    const removed = await call(platform, owner, 'DELETE', `/organizations/${organizationId}/members/${a.id}`);
    expect([removed.statusCode, removed.json().returnCode]).toEqual([200, '0000']);
    expect(await roleIn(a)).toBeUndefined();
    expect((await call(platform, a, 'GET', `/programs/${channelId}`)).statusCode).toBe(403);
    // A developer leaves with their own id.
    const left = await call(platform, b, 'DELETE', `/organizations/${organizationId}/members/${b.id}`);
    expect(left.statusCode).toBe(200);
    expect(await roleIn(b)).toBeUndefined();
    const before = await snapshotConsoleState(platform);
    await refusedUnchanged(
      await call(platform, owner, 'DELETE', `/organizations/${organizationId}/members/${b.id}`),
      404,
      '4004',
      before,
    );
  });

  it('the last owner can neither be demoted nor leave (3004, nothing stored); with two owners one may go', async () => {
    const own = await person('solo');
    const org = await ownOrganizationId(platform, own);
    const before = await snapshotConsoleState(platform);
    await refusedUnchanged(
      await call(platform, own, 'PATCH', `/organizations/${org}/members/${own.id}`, { role: 'admin' }),
      409,
      '3004',
      before,
    );
    await refusedUnchanged(
      await call(platform, own, 'DELETE', `/organizations/${org}/members/${own.id}`),
      409,
      '3004',
      before,
    );
    const second = await person('second');
    await addMemberDirectly(platform, org, second, 'owner');
    expect(
      (
        await call(platform, second, 'PATCH', `/organizations/${org}/members/${own.id}`, {
          role: 'developer',
        })
      ).statusCode,
    ).toBe(200);
    // Now `second` is the last owner.
    const mid = await snapshotConsoleState(platform);
    await refusedUnchanged(
      await call(platform, second, 'DELETE', `/organizations/${org}/members/${second.id}`),
      409,
      '3004',
      mid,
    );
  });

  it(concurrencyTitle(dialect, 'two owners demoting each other at once leave one owner'), async () => {
    const p = await person('p');
    const q = await person('q');
    const org = await ownOrganizationId(platform, p);
    await addMemberDirectly(platform, org, q, 'owner');
    const [r1, r2] = await Promise.all([
      call(platform, p, 'PATCH', `/organizations/${org}/members/${q.id}`, { role: 'admin' }),
      call(platform, q, 'PATCH', `/organizations/${org}/members/${p.id}`, { role: 'admin' }),
    ]);
    const owners = await platform.ctx.db
      .selectFrom('organization_members')
      .select('operator_id')
      .where('organization_id', '=', org)
      .where('role', '=', 'owner')
      .execute();
    expect(owners).toHaveLength(1);
    const codes = [r1, r2].map((r) => r.json().returnCode).sort();
    // Either one wins and the other finds itself demoted (4003: no longer an owner) or last (3004).
    expect(codes[0]).toBe('0000');
    expect(['3004', '4003']).toContain(codes[1]);
  });
});
