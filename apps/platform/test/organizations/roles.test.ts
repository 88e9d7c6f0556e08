import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/audit/actor.js';
import { createBundle } from '../../src/bundles/bundle-repository.js';
import { createParticipant, makeGroupProgram } from '../../src/groups/participant-repository.js';
import { activeChannelSecrets, createProgram } from '../../src/programs/program-repository.js';
import {
  CONSOLE_PLATFORM_ADMIN_PREFIX,
  CONSOLE_RIGHTS,
  CONSOLE_SELF_ROUTES,
} from '../../src/routes/console/console-rights.js';
import { type ConsoleOperator, call, createTestProgram, IMAGES, signUp } from '../console/console-client.js';
import { addMemberDirectly, ownOrganizationId, snapshotConsoleState } from '../helpers/organizations.js';
import { DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

type Who = 'owner' | 'admin' | 'developer' | 'viewer' | 'outsider';
const EVERYONE: Who[] = ['owner', 'admin', 'developer', 'viewer', 'outsider'];

interface Case {
  /** The CONSOLE_RIGHTS key the case exercises. */
  route: string;
  name: string;
  /** PROTOCOL.md §7, written out here by hand (not read from the platform's table). */
  allowed: Who[];
  /** The program is LIVE with a pending revision (a new logo waiting for review). */
  revision?: boolean;
  /** A member to change (a viewer) and a pending invitation exist before the case. */
  members?: boolean;
  request: (ctx: {
    channelId: string;
    organizationId: string;
    eventId: string;
    reviewId: string;
    bundleId: string;
    /** A participant of the program, which is a group program (PROTOCOL.md §8). */
    participantId: string;
    memberId: string;
    invitationId: string;
  }) => {
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
    url: string;
    payload?: unknown;
    headers?: Record<string, string>;
  };
}

const CASES: Case[] = [
  {
    route: 'POST /programs',
    name: 'register a program in the organization',
    allowed: ['owner', 'admin'],
    request: ({ organizationId }) => ({
      method: 'POST',
      url: '/programs',
      payload: { name: 'Second', codeType: 'QRCODE', bindingUrl: 'https://shop.example/b', organizationId },
    }),
  },
  {
    route: 'GET /programs/:channelId',
    name: 'read a program',
    allowed: ['owner', 'admin', 'developer', 'viewer'],
    request: ({ channelId }) => ({ method: 'GET', url: `/programs/${channelId}` }),
  },
  {
    route: 'PATCH /programs/:channelId',
    name: 'change technical settings (binding URL, webhook URL, code type)',
    allowed: ['owner', 'admin', 'developer'],
    request: ({ channelId }) => ({
      method: 'PATCH',
      url: `/programs/${channelId}`,
      payload: { bindingUrl: 'https://shop.example/new-bind', webhookUrl: null, codeType: 'QRCODE' },
    }),
  },
  {
    route: 'PATCH /programs/:channelId',
    name: 'change the name (the program’s face)',
    allowed: ['owner', 'admin'],
    request: ({ channelId }) => ({
      method: 'PATCH',
      url: `/programs/${channelId}`,
      payload: { name: 'Renamed' },
    }),
  },
  {
    route: 'PATCH /programs/:channelId',
    name: 'change a technical and a face field together',
    allowed: ['owner', 'admin'],
    request: ({ channelId }) => ({
      method: 'PATCH',
      url: `/programs/${channelId}`,
      payload: {
        bindingUrl: 'https://shop.example/x',
        colors: { background: '#000000', foreground: '#ffffff' },
      },
    }),
  },
  {
    route: 'PUT /programs/:channelId/logo',
    name: 'upload the logo',
    allowed: ['owner', 'admin'],
    request: ({ channelId }) => ({
      method: 'PUT',
      url: `/programs/${channelId}/logo`,
      payload: IMAGES.png,
      headers: { 'content-type': 'image/png' },
    }),
  },
  {
    route: 'POST /programs/:channelId/status',
    name: 'change the status',
    allowed: ['owner', 'admin'],
    request: ({ channelId }) => ({
      method: 'POST',
      url: `/programs/${channelId}/status`,
      payload: { status: 'LIVE' },
    }),
  },
  {
    route: 'PUT /programs/:channelId/testers',
    name: 'replace the testers',
    allowed: ['owner', 'admin', 'developer'],
    request: ({ channelId }) => ({
      method: 'PUT',
      url: `/programs/${channelId}/testers`,
      payload: { userIds: ['dev:tester'] },
    }),
  },
  {
    route: 'POST /programs/:channelId/secret/reveal',
    name: 'reveal the channel secret',
    allowed: ['owner', 'admin', 'developer'],
    request: ({ channelId }) => ({
      method: 'POST',
      url: `/programs/${channelId}/secret/reveal`,
      payload: {},
    }),
  },
  {
    route: 'POST /programs/:channelId/secret/rotate',
    name: 'rotate the channel secret',
    allowed: ['owner', 'admin', 'developer'],
    request: ({ channelId }) => ({
      method: 'POST',
      url: `/programs/${channelId}/secret/rotate`,
      payload: {},
    }),
  },
  {
    route: 'GET /programs/:channelId/webhooks',
    name: 'list webhook deliveries',
    allowed: ['owner', 'admin', 'developer', 'viewer'],
    request: ({ channelId }) => ({ method: 'GET', url: `/programs/${channelId}/webhooks` }),
  },
  {
    route: 'POST /programs/:channelId/webhooks/:eventId/resend',
    name: 'resend a webhook event',
    allowed: ['owner', 'admin', 'developer'],
    request: ({ channelId, eventId }) => ({
      method: 'POST',
      url: `/programs/${channelId}/webhooks/${eventId}/resend`,
      payload: {},
    }),
  },
  {
    route: 'DELETE /programs/:channelId/revision',
    name: 'withdraw the pending revision',
    allowed: ['owner', 'admin'],
    revision: true,
    request: ({ channelId }) => ({ method: 'DELETE', url: `/programs/${channelId}/revision` }),
  },
  {
    route: 'GET /reviews/:reviewId/logo',
    name: 'see the logo waiting for review',
    allowed: ['owner', 'admin', 'developer', 'viewer'],
    revision: true,
    request: ({ reviewId }) => ({ method: 'GET', url: `/reviews/${reviewId}/logo` }),
  },
  {
    route: 'POST /programs/:channelId/bundles/:bundleId/accept',
    name: 'accept a campaign bundle’s invitation (PROTOCOL.md §9)',
    allowed: ['owner', 'admin'],
    request: ({ channelId, bundleId }) => ({
      method: 'POST',
      url: `/programs/${channelId}/bundles/${bundleId}/accept`,
      payload: {},
    }),
  },
  {
    route: 'POST /programs/:channelId/bundles/:bundleId/leave',
    name: 'leave a campaign bundle',
    allowed: ['owner', 'admin'],
    request: ({ channelId, bundleId }) => ({
      method: 'POST',
      url: `/programs/${channelId}/bundles/${bundleId}/leave`,
      payload: {},
    }),
  },
  {
    route: 'POST /programs/:channelId/group',
    name: 'make the program a group program',
    allowed: ['owner', 'admin'],
    request: ({ channelId }) => ({ method: 'POST', url: `/programs/${channelId}/group`, payload: {} }),
  },
  {
    route: 'GET /programs/:channelId/participants',
    name: "list a group's participants",
    allowed: ['owner', 'admin', 'developer', 'viewer'],
    request: ({ channelId }) => ({ method: 'GET', url: `/programs/${channelId}/participants` }),
  },
  {
    route: 'POST /programs/:channelId/participants',
    name: 'add a participant',
    allowed: ['owner', 'admin'],
    request: ({ channelId }) => ({
      method: 'POST',
      url: `/programs/${channelId}/participants`,
      payload: { name: 'Another Store' },
    }),
  },
  {
    route: 'PATCH /programs/:channelId/participants/:participantId',
    name: 'suspend a participant',
    allowed: ['owner', 'admin'],
    request: ({ channelId, participantId }) => ({
      method: 'PATCH',
      url: `/programs/${channelId}/participants/${participantId}`,
      payload: { status: 'SUSPENDED' },
    }),
  },
  {
    route: 'PUT /programs/:channelId/participants/:participantId/logo',
    name: "upload a participant's logo",
    allowed: ['owner', 'admin'],
    request: ({ channelId, participantId }) => ({
      method: 'PUT',
      url: `/programs/${channelId}/participants/${participantId}/logo`,
      payload: IMAGES.png,
      headers: { 'content-type': 'image/png' },
    }),
  },
  {
    route: 'POST /programs/:channelId/participants/:participantId/secret/reveal',
    name: "reveal a participant's channel secret",
    allowed: ['owner', 'admin', 'developer'],
    request: ({ channelId, participantId }) => ({
      method: 'POST',
      url: `/programs/${channelId}/participants/${participantId}/secret/reveal`,
      payload: {},
    }),
  },
  {
    route: 'POST /programs/:channelId/participants/:participantId/secret/rotate',
    name: "rotate a participant's channel secret",
    allowed: ['owner', 'admin', 'developer'],
    request: ({ channelId, participantId }) => ({
      method: 'POST',
      url: `/programs/${channelId}/participants/${participantId}/secret/rotate`,
      payload: {},
    }),
  },
  {
    route: 'GET /organizations/:organizationId',
    name: 'read the organization and its members',
    allowed: ['owner', 'admin', 'developer', 'viewer'],
    request: ({ organizationId }) => ({ method: 'GET', url: `/organizations/${organizationId}` }),
  },
  {
    route: 'PATCH /organizations/:organizationId',
    name: 'rename the organization',
    allowed: ['owner'],
    request: ({ organizationId }) => ({
      method: 'PATCH',
      url: `/organizations/${organizationId}`,
      payload: { name: 'Renamed Group' },
    }),
  },
  {
    route: 'GET /organizations/:organizationId/invitations',
    name: 'list the pending invitations',
    allowed: ['owner'],
    members: true,
    request: ({ organizationId }) => ({ method: 'GET', url: `/organizations/${organizationId}/invitations` }),
  },
  {
    route: 'POST /organizations/:organizationId/invitations',
    name: 'invite someone',
    allowed: ['owner'],
    request: ({ organizationId, channelId }) => ({
      method: 'POST',
      url: `/organizations/${organizationId}/invitations`,
      payload: { email: `new-${channelId}@shop.example`, role: 'developer' },
    }),
  },
  {
    route: 'POST /organizations/:organizationId/invitations',
    name: 'invite an owner (no role may hand out more than the owners’ own)',
    allowed: ['owner'],
    request: ({ organizationId, channelId }) => ({
      method: 'POST',
      url: `/organizations/${organizationId}/invitations`,
      payload: { email: `boss-${channelId}@shop.example`, role: 'owner' },
    }),
  },
  {
    route: 'DELETE /organizations/:organizationId/invitations/:invitationId',
    name: 'revoke an invitation',
    allowed: ['owner'],
    members: true,
    request: ({ organizationId, invitationId }) => ({
      method: 'DELETE',
      url: `/organizations/${organizationId}/invitations/${invitationId}`,
    }),
  },
  {
    route: 'PATCH /organizations/:organizationId/members/:operatorId',
    name: 'change a member’s role',
    allowed: ['owner'],
    members: true,
    request: ({ organizationId, memberId }) => ({
      method: 'PATCH',
      url: `/organizations/${organizationId}/members/${memberId}`,
      payload: { role: 'developer' },
    }),
  },
  {
    route: 'PATCH /organizations/:organizationId/members/:operatorId',
    name: 'make a member an owner',
    allowed: ['owner'],
    members: true,
    request: ({ organizationId, memberId }) => ({
      method: 'PATCH',
      url: `/organizations/${organizationId}/members/${memberId}`,
      payload: { role: 'owner' },
    }),
  },
  {
    route: 'DELETE /organizations/:organizationId/members/:operatorId',
    name: 'remove another member',
    allowed: ['owner'],
    members: true,
    request: ({ organizationId, memberId }) => ({
      method: 'DELETE',
      url: `/organizations/${organizationId}/members/${memberId}`,
    }),
  },
  {
    route: 'GET /organizations/:organizationId/audit',
    name: 'read the audit log',
    allowed: ['owner', 'admin'],
    request: ({ organizationId }) => ({ method: 'GET', url: `/organizations/${organizationId}/audit` }),
  },
];

describe.each(DIALECTS)('organization roles on every console endpoint on %s (PROTOCOL.md §7)', (dialect) => {
  let platform: TestPlatform;
  const ops = {} as Record<Who, ConsoleOperator>;
  let organizationId: string;
  /** Every channel secret the platform ever issued in this suite, to look for in viewer answers. */
  const secretsSeen = new Set<string>();
  const viewerBodies: string[] = [];

  beforeAll(async () => {
    // Review required (the production default): the status and revision endpoints do their most.
    platform = await startTestPlatform(dialect, { secretOverlap: 3600, programReview: 'required' });
    for (const who of EVERYONE) ops[who] = await signUp(platform, `${who}@shop.example`);
    organizationId = await ownOrganizationId(platform, ops.owner);
    for (const role of ['admin', 'developer', 'viewer'] as const) {
      await addMemberDirectly(platform, organizationId, ops[role], role);
    }
  });
  afterAll(async () => {
    await platform?.close();
  });

  /** A fresh program of the owner's organization with a delivered webhook event, per case. */
  async function freshProgram(revision = false, members = false) {
    const created = await createTestProgram(platform, ops.owner, {
      webhookUrl: 'https://shop.example/hook',
      testers: ['dev:first'],
    });
    secretsSeen.add(created.channelSecret);
    const eventId = `evt_${created.channelId}`;
    await platform.ctx.db
      .insertInto('webhook_outbox')
      .values({
        event_id: eventId,
        channel_id: created.channelId,
        type: 'card.completed',
        payload: '{}',
        attempts: 1,
        next_attempt_at: '2026-01-01T00:00:00.000Z',
        delivered_at: '2026-01-01T00:00:01.000Z',
        last_error: null,
        created_at: '2026-01-01T00:00:00.000Z',
        lease_owner: null,
        lease_until: null,
        last_status: 200,
        last_attempt_at: '2026-01-01T00:00:01.000Z',
      })
      .execute();
    let reviewId = 'rv_none_none';
    if (revision) {
      await platform.ctx.db
        .updateTable('programs')
        .set({ status: 'LIVE' })
        .where('channel_id', '=', created.channelId)
        .execute();
      const up = await call(platform, ops.owner, 'PUT', `/programs/${created.channelId}/logo`, IMAGES.png, {
        'content-type': 'image/png',
      });
      if (up.json().info?.pendingReview !== true) throw new Error(`no revision: ${up.body}`);
      const view = await call(platform, ops.owner, 'GET', `/programs/${created.channelId}`);
      reviewId = view.json().info.review.pending.reviewId;
    }
    // Invited to a campaign bundle with another organization's program (the accept/leave cases).
    const other = await createProgram(platform.ctx, {
      name: 'Other Shop',
      codeType: 'QRCODE',
      bindingUrl: 'https://other.example/b',
      status: 'LIVE',
    });
    const bundleId = await createBundle(platform.ctx, CLI_ACTOR, {
      name: 'Night market',
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: '2027-01-01T00:00:00.000Z',
      channelIds: [created.channelId, other.program.channelId],
    });
    // Every fresh program is a group with one participant, for the participant endpoints (§8).
    await makeGroupProgram(platform.ctx, created.channelId);
    const store = await createParticipant(platform.ctx, created.channelId, 'First Store');
    secretsSeen.add(store.channelSecret);
    const participantId = store.participant.participantId;
    let memberId = 'op_AAAAAAAAAAAAAAAA';
    let invitationId = 'inv_AAAAAAAAAAAAAAAA';
    if (members) {
      const extra = await signUp(platform, `extra-${created.channelId}@shop.example`);
      await addMemberDirectly(platform, organizationId, extra, 'viewer');
      memberId = extra.id;
      const invited = await call(
        platform,
        ops.owner,
        'POST',
        `/organizations/${organizationId}/invitations`,
        {
          email: `invited-${created.channelId}@shop.example`,
          role: 'viewer',
        },
      );
      invitationId = invited.json().info.invitation.invitationId;
    }
    return {
      channelId: created.channelId,
      organizationId,
      eventId,
      reviewId,
      bundleId,
      participantId,
      memberId,
      invitationId,
    };
  }

  it('the cases cover every endpoint of the rights table', () => {
    expect(new Set(CASES.map((c) => c.route))).toEqual(new Set(Object.keys(CONSOLE_RIGHTS)));
  });

  it('every console endpoint of the API document is in the rights table or acts on no organization', async () => {
    const doc = (await platform.app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const consoleRoutes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/console/'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map(
          (m) => `${m.toUpperCase()} ${path.slice('/v1/console'.length).replace(/\{(\w+)\}/g, ':$1')}`,
        ),
      );
    expect(consoleRoutes.length).toBeGreaterThan(15);
    const unlisted = consoleRoutes.filter(
      (r) =>
        !(r in CONSOLE_RIGHTS) &&
        !CONSOLE_SELF_ROUTES.has(r) &&
        !r.split(' ')[1]?.startsWith(CONSOLE_PLATFORM_ADMIN_PREFIX),
    );
    expect(unlisted).toEqual([]);
  });

  for (const c of CASES) {
    it(`${c.route}: ${c.name} — allowed for ${c.allowed.join(', ')}; 4003 and nothing changed for the rest`, async () => {
      const target = await freshProgram(c.revision, c.members);
      const { method, url, payload, headers } = c.request(target);
      // Denied roles first, on the untouched program: each gets 4003 and changes nothing.
      for (const who of EVERYONE.filter((w) => !c.allowed.includes(w))) {
        const before = await snapshotConsoleState(platform);
        const res = await call(platform, ops[who], method, url, payload, headers);
        if (who === 'viewer') viewerBodies.push(res.body);
        expect({ who, status: res.statusCode, code: res.json().returnCode }).toEqual({
          who,
          status: 403,
          code: '4003',
        });
        expect(await snapshotConsoleState(platform)).toBe(before);
      }
      for (const who of c.allowed) {
        const res = await call(platform, ops[who], method, url, payload, headers);
        if (who === 'viewer') viewerBodies.push(res.body);
        if (!res.headers['content-type']?.toString().startsWith('application/json')) {
          expect({ who, status: res.statusCode }).toEqual({ who, status: 200 });
          continue;
        }
        const info = res.json().info as { channelSecret?: string } | undefined;
        if (info?.channelSecret) secretsSeen.add(info.channelSecret);
        expect({ who, status: res.statusCode, code: res.json().returnCode }).toEqual({
          who,
          status:
            method === 'POST' &&
            (url === '/programs' || url.endsWith('/participants') || url.endsWith('/invitations'))
              ? 201
              : 200,
          code: '0000',
        });
      }
    });
  }

  it('the program list shows each member the organization’s programs with their own role; an outsider none', async () => {
    const { channelId } = await freshProgram();
    for (const who of EVERYONE) {
      const res = await call(platform, ops[who], 'GET', '/programs');
      if (who === 'viewer') viewerBodies.push(res.body);
      const rows = res.json().info.programs as { program: { channelId: string }; role: string }[];
      const row = rows.find((r) => r.program.channelId === channelId);
      expect({ who, role: row?.role }).toEqual({ who, role: who === 'outsider' ? undefined : who });
    }
    const res = await call(platform, ops.viewer, 'GET', '/organizations');
    viewerBodies.push(res.body);
    expect(res.json().info.organizations).toContainEqual(
      expect.objectContaining({ organizationId, role: 'viewer' }),
    );
  });

  it('a viewer’s answers never contain a channel secret (checked on the wire)', async () => {
    const rows = [
      ...(await platform.ctx.db.selectFrom('programs').select('channel_id').execute()),
      ...(await platform.ctx.db.selectFrom('program_participants').select('channel_id').execute()),
    ];
    for (const r of rows) {
      for (const s of await activeChannelSecrets(platform.ctx, r.channel_id)) secretsSeen.add(s);
    }
    expect(secretsSeen.size).toBeGreaterThan(CASES.length);
    expect(viewerBodies.length).toBeGreaterThan(CASES.length);
    for (const body of viewerBodies) {
      for (const secret of secretsSeen) expect(body.includes(secret)).toBe(false);
      expect(body).not.toMatch(/channelSecret/);
    }
  });

  it('registering a program without an organization id goes to the operator’s own organization', async () => {
    const res = await call(platform, ops.viewer, 'POST', '/programs', {
      name: 'Viewer Own',
      codeType: 'QRCODE',
      bindingUrl: 'https://viewer.example/b',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().info.program.organizationId).toBe(await ownOrganizationId(platform, ops.viewer));
    expect(res.json().info.program.organizationId).not.toBe(organizationId);
  });

  it('an unknown organization is 4004; a malformed id is 2101', async () => {
    const unknown = await call(platform, ops.owner, 'GET', '/organizations/org_AAAAAAAAAAAAAAAA');
    expect([unknown.statusCode, unknown.json().returnCode]).toEqual([404, '4004']);
    const bad = await call(platform, ops.owner, 'GET', '/organizations/nope');
    expect(bad.json().returnCode).toBe('2101');
  });
});
