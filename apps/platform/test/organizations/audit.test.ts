import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { type ConsoleOperator, createTestProgram, signUp } from '../console/console-client.js';
import { addMemberDirectly, ownOrganizationId } from '../helpers/organizations.js';
import { DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

/** The address each audited call comes from (TEST-NET-3), to see it recorded. */
const ADDRESS = '203.0.113.7';

interface Entry {
  id: number;
  action: string;
  actor: { kind: string; operatorId: string | null; email: string | null };
  targetType: string;
  targetId: string;
  details: Record<string, unknown>;
  sourceAddress: string | null;
}

/**
 * The organization audit log (PROTOCOL.md §7): each audited action writes exactly one entry with
 * who, when and from which address; no-op calls write none; owners and admins page through it; the
 * database refuses UPDATE and DELETE of entries on both dialects.
 */
describe.each(DIALECTS)('the organization audit log on %s (PROTOCOL.md §7)', (dialect) => {
  let platform: TestPlatform;
  let owner: ConsoleOperator;
  let organizationId: string;
  let channelId: string;
  let secrets: string[] = [];
  let n = 0;

  beforeAll(async () => {
    platform = await startTestPlatform(dialect, { programReview: 'off' });
    owner = await signUp(platform, 'owner@audit.example');
    organizationId = await ownOrganizationId(platform, owner);
    const created = await createTestProgram(platform, owner, { webhookUrl: 'https://shop.example/hook' });
    channelId = created.channelId;
    secrets = [created.channelSecret];
  });
  afterAll(async () => {
    await platform?.close();
  });

  /** A console call from ADDRESS. */
  function from(
    op: ConsoleOperator,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) {
    return platform.app.inject({
      method,
      url: `/v1/console${url}`,
      remoteAddress: ADDRESS,
      headers: { cookie: op.cookie },
      ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
    });
  }

  async function entryCount(): Promise<number> {
    const row = await platform.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function newest(): Promise<Entry> {
    const res = await from(owner, 'GET', `/organizations/${organizationId}/audit?limit=1`);
    return defined(res.json().info.entries[0]) as Entry;
  }

  async function person(): Promise<ConsoleOperator> {
    n += 1;
    return signUp(platform, `member-${n}@audit.example`);
  }

  /** Each audited action: what it does, the action it records, who acts, and its target. */
  const ACTIONS: {
    action: string;
    run: () => Promise<{
      status: number;
      by?: ConsoleOperator;
      target?: string;
      details?: Record<string, unknown>;
    }>;
  }[] = [
    {
      action: 'secret.revealed',
      run: async () => {
        const res = await from(owner, 'POST', `/programs/${channelId}/secret/reveal`, {});
        return { status: res.statusCode, target: channelId };
      },
    },
    {
      action: 'secret.rotated',
      run: async () => {
        const res = await from(owner, 'POST', `/programs/${channelId}/secret/rotate`, {});
        secrets.push(res.json().info.channelSecret);
        return { status: res.statusCode, target: channelId };
      },
    },
    {
      action: 'program.status_changed',
      run: async () => {
        const res = await from(owner, 'POST', `/programs/${channelId}/status`, { status: 'LIVE' });
        return { status: res.statusCode, target: channelId, details: { from: 'DRAFT', to: 'LIVE' } };
      },
    },
    {
      action: 'program.webhook_changed',
      run: async () => {
        const res = await from(owner, 'PATCH', `/programs/${channelId}`, {
          webhookUrl: 'https://shop.example/hook2',
        });
        return {
          status: res.statusCode,
          target: channelId,
          details: { from: 'https://shop.example/hook', to: 'https://shop.example/hook2' },
        };
      },
    },
    {
      action: 'program.testers_changed',
      run: async () => {
        const res = await from(owner, 'PUT', `/programs/${channelId}/testers`, {
          userIds: ['dev:a', 'dev:b'],
        });
        return {
          status: res.statusCode,
          target: channelId,
          details: { added: ['dev:a', 'dev:b'], removed: [] },
        };
      },
    },
    {
      action: 'organization.renamed',
      run: async () => {
        const res = await from(owner, 'PATCH', `/organizations/${organizationId}`, { name: 'Audited Co' });
        return { status: res.statusCode, details: { to: 'Audited Co' } };
      },
    },
    {
      action: 'member.invited',
      run: async () => {
        const res = await from(owner, 'POST', `/organizations/${organizationId}/invitations`, {
          email: 'invited@audit.example',
          role: 'viewer',
        });
        return { status: res.statusCode, details: { email: 'invited@audit.example', role: 'viewer' } };
      },
    },
    {
      action: 'member.invitation_revoked',
      run: async () => {
        const made = await from(owner, 'POST', `/organizations/${organizationId}/invitations`, {
          email: 'revoked@audit.example',
          role: 'viewer',
        });
        const id = made.json().info.invitation.invitationId;
        const before = await entryCount();
        const res = await from(owner, 'DELETE', `/organizations/${organizationId}/invitations/${id}`);
        expect(await entryCount()).toBe(before + 1);
        return { status: res.statusCode, details: { invitationId: id } };
      },
    },
    {
      action: 'member.joined',
      run: async () => {
        const joiner = await person();
        const made = await from(owner, 'POST', `/organizations/${organizationId}/invitations`, {
          email: joiner.email,
          role: 'developer',
        });
        const token = defined(/#\/invite\/(.+)$/.exec(made.json().info.acceptUrl)?.[1]);
        const before = await entryCount();
        const res = await from(joiner, 'POST', '/invitations/accept', { token });
        expect(await entryCount()).toBe(before + 1);
        return { status: res.statusCode, by: joiner, details: { operatorId: joiner.id, role: 'developer' } };
      },
    },
    {
      action: 'member.role_changed',
      run: async () => {
        const m = await person();
        await addMemberDirectly(platform, organizationId, m, 'viewer');
        const before = await entryCount();
        const res = await from(owner, 'PATCH', `/organizations/${organizationId}/members/${m.id}`, {
          role: 'admin',
        });
        expect(await entryCount()).toBe(before + 1);
        return { status: res.statusCode, details: { operatorId: m.id, from: 'viewer', to: 'admin' } };
      },
    },
    {
      action: 'member.removed',
      run: async () => {
        const m = await person();
        await addMemberDirectly(platform, organizationId, m, 'developer');
        const before = await entryCount();
        const res = await from(owner, 'DELETE', `/organizations/${organizationId}/members/${m.id}`);
        expect(await entryCount()).toBe(before + 1);
        return { status: res.statusCode, details: { operatorId: m.id, role: 'developer' } };
      },
    },
    {
      action: 'member.left',
      run: async () => {
        const m = await person();
        await addMemberDirectly(platform, organizationId, m, 'viewer');
        const before = await entryCount();
        const res = await from(m, 'DELETE', `/organizations/${organizationId}/members/${m.id}`);
        expect(await entryCount()).toBe(before + 1);
        return { status: res.statusCode, by: m, details: { operatorId: m.id, role: 'viewer' } };
      },
    },
  ];

  for (const a of ACTIONS) {
    it(`${a.action}: exactly one entry, with who, when and the source address`, async () => {
      const before = await entryCount();
      const result = await a.run();
      expect(result.status).toBeLessThan(300);
      const entry = await newest();
      const by = result.by ?? owner;
      expect(entry).toMatchObject({
        action: a.action,
        actor: { kind: 'operator', operatorId: by.id, email: by.email },
        targetType: result.target ? 'program' : 'organization',
        targetId: result.target ?? organizationId,
        sourceAddress: ADDRESS,
        ...(result.details ? { details: expect.objectContaining(result.details) } : {}),
      });
      // Set-up calls of the action (an invitation to revoke, say) are counted inside run().
      if (!['member.invitation_revoked', 'member.joined'].includes(a.action)) {
        expect(await entryCount()).toBe(before + 1);
      }
    });
  }

  it('the same webhook URL, the same testers, the same role or name again write no entry', async () => {
    const m = await person();
    await addMemberDirectly(platform, organizationId, m, 'viewer');
    const program = (await from(owner, 'GET', `/programs/${channelId}`)).json().info;
    const before = await entryCount();
    expect(
      (await from(owner, 'PATCH', `/programs/${channelId}`, { webhookUrl: program.program.webhookUrl }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await from(owner, 'PUT', `/programs/${channelId}/testers`, {
          userIds: [...program.testers].reverse(),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await from(owner, 'PATCH', `/organizations/${organizationId}/members/${m.id}`, { role: 'viewer' }))
        .statusCode,
    ).toBe(200);
    const name = (await from(owner, 'GET', `/organizations/${organizationId}`)).json().info.organization.name;
    expect((await from(owner, 'PATCH', `/organizations/${organizationId}`, { name })).statusCode).toBe(200);
    expect(await entryCount()).toBe(before);
  });

  it('a refused action writes no entry (a viewer’s reveal, a last owner’s leave)', async () => {
    const viewer = await person();
    await addMemberDirectly(platform, organizationId, viewer, 'viewer');
    const before = await entryCount();
    expect((await from(viewer, 'POST', `/programs/${channelId}/secret/reveal`, {})).statusCode).toBe(403);
    expect(
      (await from(owner, 'DELETE', `/organizations/${organizationId}/members/${owner.id}`)).statusCode,
    ).toBe(409);
    expect(await entryCount()).toBe(before);
  });

  it('no entry holds a secret; pages of 3 walk the whole log newest first', async () => {
    const all: Entry[] = [];
    let before: number | null | undefined;
    let pages = 0;
    do {
      const q = before ? `?limit=3&before=${before}` : '?limit=3';
      const res = await from(owner, 'GET', `/organizations/${organizationId}/audit${q}`);
      expect(res.statusCode).toBe(200);
      for (const s of secrets) expect(res.body.includes(s)).toBe(false);
      const info = res.json().info as { entries: Entry[]; nextBefore: number | null };
      expect(info.entries.length).toBeLessThanOrEqual(3);
      all.push(...info.entries);
      before = info.nextBefore;
      pages += 1;
    } while (before !== null && pages < 50);
    expect(before).toBeNull();
    const ids = all.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(all.map((e) => e.action))).toEqual(new Set([...ACTIONS.map((a) => a.action)]));
    expect(pages).toBe(Math.ceil(all.length / 3));
    // Paging parameters out of range are 2101.
    expect(
      (await from(owner, 'GET', `/organizations/${organizationId}/audit?limit=101`)).json().returnCode,
    ).toBe('2101');
  });

  it('another organization’s actions do not appear; its owner cannot read this log', async () => {
    const other = await person();
    const otherProgram = await createTestProgram(platform, other);
    await from(other, 'POST', `/programs/${otherProgram.channelId}/secret/reveal`, {});
    const res = await from(owner, 'GET', `/organizations/${organizationId}/audit?limit=100`);
    expect(res.body).not.toContain(otherProgram.channelId);
    expect(res.body).not.toContain(other.id);
    const denied = await from(other, 'GET', `/organizations/${organizationId}/audit`);
    expect([denied.statusCode, denied.json().returnCode]).toEqual([403, '4003']);
    // Its own log has its reveal.
    const own = await from(other, 'GET', `/organizations/${await ownOrganizationId(platform, other)}/audit`);
    expect(own.json().info.entries[0]).toMatchObject({
      action: 'secret.revealed',
      targetId: otherProgram.channelId,
    });
  });

  it('entries cannot be updated or deleted: the database refuses (triggers)', async () => {
    const row = await platform.ctx.db
      .selectFrom('audit_log')
      .select(['id', 'action'])
      .where('action', '=', 'secret.revealed')
      .executeTakeFirstOrThrow();
    const count = await entryCount();
    await expect(
      platform.ctx.db.updateTable('audit_log').set({ action: 'forged' }).where('id', '=', row.id).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      platform.ctx.db.updateTable('audit_log').set({ source_address: null }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(platform.ctx.db.deleteFrom('audit_log').where('id', '=', row.id).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(platform.ctx.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    const still = await platform.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow();
    expect(still.action).toBe('secret.revealed');
    expect(await entryCount()).toBe(count);
  });
});
