import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { createOperator } from '../../src/operators/operator-repository.js';
import { type ConsoleOperator, call, PASSWORD, sessionCookie } from '../console/console-client.js';
import { ownOrganizationId, snapshotConsoleState } from '../helpers/organizations.js';
import { DIALECTS, startProductionPlatform, type TestPlatform } from '../helpers/platform.js';

/**
 * In production sign-up is closed (MYCARD_CONSOLE_SIGNUP off): an invitation opens it for the one
 * address it was made for, so an invitee without an account can sign up and then join (PROTOCOL.md §7).
 * Every other attempt is 4004 and stores nothing.
 */
describe.each(DIALECTS)('sign-up with an invitation while sign-up is closed on %s', (dialect) => {
  let platform: TestPlatform;
  let owner: ConsoleOperator;
  let organizationId: string;

  beforeAll(async () => {
    platform = await startProductionPlatform(dialect, { consoleSignup: false, rateLimitStore: 'local' });
    const made = await createOperator(platform.ctx, {
      email: 'owner@shop.example',
      password: PASSWORD,
      displayName: 'Owner',
    });
    const session = await platform.app.inject({
      method: 'POST',
      url: '/v1/console/session',
      payload: { email: 'owner@shop.example', password: PASSWORD },
    });
    owner = { cookie: sessionCookie(session.headers['set-cookie']), id: made.id, email: made.email };
    organizationId = await ownOrganizationId(platform, owner);
  });
  afterAll(async () => {
    await platform?.close();
  });

  async function invite(email: string) {
    const res = await call(platform, owner, 'POST', `/organizations/${organizationId}/invitations`, {
      email,
      role: 'developer',
    });
    expect(res.statusCode).toBe(201);
    return {
      token: defined(/#\/invite\/(.+)$/.exec(res.json().info.acceptUrl)?.[1]),
      invitationId: res.json().info.invitation.invitationId as string,
    };
  }

  const signup = (email: string, invitation?: string) =>
    platform.app.inject({
      method: 'POST',
      url: '/v1/console/signup',
      payload: { email, password: PASSWORD, displayName: 'New', ...(invitation ? { invitation } : {}) },
    });

  it('refuses without an invitation, with another address’s, an unknown, a revoked one: 4004, nothing stored', async () => {
    const { token } = await invite('invited@shop.example');
    const revoked = await invite('revoked@shop.example');
    await call(
      platform,
      owner,
      'DELETE',
      `/organizations/${organizationId}/invitations/${revoked.invitationId}`,
    );
    const before = await snapshotConsoleState(platform);
    const operatorsBefore = await platform.ctx.db.selectFrom('operators').select('id').execute();
    for (const res of [
      await signup('invited@shop.example'),
      await signup('someone-else@shop.example', token),
      await signup('invited@shop.example', 'A'.repeat(43)),
      await signup('revoked@shop.example', revoked.token),
    ]) {
      expect([res.statusCode, res.json().returnCode]).toEqual([404, '4004']);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(await snapshotConsoleState(platform)).toBe(before);
    expect(await platform.ctx.db.selectFrom('operators').select('id').execute()).toEqual(operatorsBefore);
  });

  it('the invited address signs up with its invitation, then accepts and joins with the role', async () => {
    const { token } = await invite('Newcomer@Shop.example');
    const res = await signup('newcomer@shop.example', token);
    expect([res.statusCode, res.json().returnCode]).toEqual([201, '0000']);
    const newcomer: ConsoleOperator = {
      cookie: sessionCookie(res.headers['set-cookie']),
      id: res.json().info.operator.id,
      email: 'newcomer@shop.example',
    };
    // Signing up alone joins nothing: the invitation is still pending until accepted.
    const list = await call(platform, owner, 'GET', `/organizations/${organizationId}/invitations`);
    expect(list.body).toContain('newcomer@shop.example');
    const accepted = await call(platform, newcomer, 'POST', '/invitations/accept', { token });
    expect(accepted.json().info.organization).toMatchObject({ organizationId, role: 'developer' });
    // Used up: it opens sign-up no more.
    const again = await signup('newcomer2@shop.example', token);
    expect(again.json().returnCode).toBe('4004');
  });
});
