import type { ApiClient } from '@mycard/web-kit';
import { createAdminApi } from '../admin/admin-api.js';
import type { Notice } from '../admin/admin-types.js';
import type {
  AdminProgram,
  AuditPage,
  BundleFigures,
  BundleInvitation,
  ConsoleBundle,
  ConsoleParticipant,
  ConsoleSession,
  CreatedInvitation,
  CreatedParticipant,
  CreatedProgram,
  InvitationPreview,
  Invitations,
  NewBundleBody,
  NewProgramInput,
  Operator,
  Organization,
  OrganizationDetails,
  OrganizationRole,
  Organizations,
  ParticipantList,
  ParticipantStatus,
  Program,
  ProgramDetails,
  ProgramPatch,
  ProgramStatus,
  ProgramSummary,
  WebhookDeliveries,
} from './types.js';

/** The console API (contract in the brief of apps/platform/src/routes/console), one function per call. */
export function createConsoleApi(client: ApiClient) {
  const program = (channelId: string) => `/v1/console/programs/${encodeURIComponent(channelId)}`;
  const bundle = (bundleId: string) => `/v1/console/admin/bundles/${encodeURIComponent(bundleId)}`;
  const org = (organizationId: string) => `/v1/console/organizations/${encodeURIComponent(organizationId)}`;
  return {
    signUp: (input: { email: string; password: string; displayName: string; invitation?: string }) =>
      client.request<ConsoleSession>('POST', '/v1/console/signup', {
        json: input,
      }),
    signIn: (input: { email: string; password: string }) =>
      client.request<ConsoleSession>('POST', '/v1/console/session', {
        json: input,
      }),
    /** A one-time sign-in link of `mycard admin create` (`#/sign-in-link/{token}`). */
    signInWithLink: (token: string) =>
      client.request<ConsoleSession>('POST', '/v1/console/session/link', { json: { token } }),
    signOut: () => client.request<void>('DELETE', '/v1/console/session'),
    me: () => client.request<{ operator: Operator }>('GET', '/v1/console/me'),
    listPrograms: () => client.request<{ programs: ProgramSummary[] }>('GET', '/v1/console/programs'),
    createProgram: (input: NewProgramInput) =>
      client.request<CreatedProgram>('POST', '/v1/console/programs', { json: input }),
    getProgram: (channelId: string) => client.request<ProgramDetails>('GET', program(channelId)),
    updateProgram: (channelId: string, patch: ProgramPatch) =>
      client.request<{ program: Program }>('PATCH', program(channelId), { json: patch }),
    uploadLogo: (channelId: string, image: Blob) =>
      client.request<unknown>('PUT', `${program(channelId)}/logo`, { body: image, contentType: image.type }),
    setStatus: (channelId: string, status: ProgramStatus) =>
      client.request<unknown>('POST', `${program(channelId)}/status`, { json: { status } }),
    setTesters: (channelId: string, userIds: string[]) =>
      client.request<unknown>('PUT', `${program(channelId)}/testers`, { json: { userIds } }),
    revealSecret: (channelId: string) =>
      client.request<{ channelSecret: string }>('POST', `${program(channelId)}/secret/reveal`, { json: {} }),
    rotateSecret: (channelId: string) =>
      client.request<{ channelSecret: string; previousExpiresAt: string }>(
        'POST',
        `${program(channelId)}/secret/rotate`,
        {
          json: {},
        },
      ),
    listWebhookDeliveries: (channelId: string) =>
      client.request<WebhookDeliveries>('GET', `${program(channelId)}/webhooks`),
    resendWebhook: (channelId: string, eventId: string) =>
      client.request<unknown>(
        'POST',
        `${program(channelId)}/webhooks/${encodeURIComponent(eventId)}/resend`,
        {
          json: {},
        },
      ),
    platformKeyPem: () => client.text('/v1/console/platform-key.pem'),
    // Campaign bundles (PROTOCOL.md §9): a program's invitations, and the administrators' side.
    bundleInvitations: () =>
      client.request<{ invitations: BundleInvitation[] }>('GET', '/v1/console/bundles'),
    decideBundle: (channelId: string, bundleId: string, decision: 'accept' | 'leave') =>
      client.request<unknown>(
        'POST',
        `${program(channelId)}/bundles/${encodeURIComponent(bundleId)}/${decision}`,
        { json: {} },
      ),
    adminPrograms: () => client.request<{ programs: AdminProgram[] }>('GET', '/v1/console/admin/programs'),
    adminBundles: () => client.request<{ bundles: ConsoleBundle[] }>('GET', '/v1/console/admin/bundles'),
    adminBundle: (bundleId: string) => client.request<{ bundle: ConsoleBundle }>('GET', bundle(bundleId)),
    createBundle: (input: NewBundleBody) =>
      client.request<{ bundle: ConsoleBundle }>('POST', '/v1/console/admin/bundles', { json: input }),
    setBundlePrograms: (bundleId: string, channelIds: string[]) =>
      client.request<{ bundle: ConsoleBundle }>('PUT', `${bundle(bundleId)}/programs`, {
        json: { channelIds },
      }),
    uploadBundleBanner: (bundleId: string, image: Blob) =>
      client.request<{ bundle: ConsoleBundle }>('PUT', `${bundle(bundleId)}/banner`, {
        body: image,
        contentType: image.type,
      }),
    bundleFigures: (bundleId: string) => client.request<BundleFigures>('GET', `${bundle(bundleId)}/figures`),
    /** Review decisions and suspensions of the operator's programs, newest first. */
    listNotices: () => client.request<{ notices: Notice[] }>('GET', '/v1/console/notices'),
    markNoticeRead: (noticeId: number) =>
      client.request<unknown>('POST', `/v1/console/notices/${noticeId}/read`, { json: {} }),
    /** The platform administrators' calls (the admin area). */
    admin: createAdminApi(client),
    // Group programs and their participants (PROTOCOL.md §8, docs/console-api.md "Groups").
    listParticipants: (channelId: string) =>
      client.request<ParticipantList>('GET', `${program(channelId)}/participants`),
    makeGroup: (channelId: string) =>
      client.request<ParticipantList>('POST', `${program(channelId)}/group`, { json: {} }),
    addParticipant: (channelId: string, name: string) =>
      client.request<CreatedParticipant>('POST', `${program(channelId)}/participants`, { json: { name } }),
    updateParticipant: (
      channelId: string,
      participantId: string,
      patch: { name?: string; status?: ParticipantStatus },
    ) =>
      client.request<{ participant: ConsoleParticipant }>(
        'PATCH',
        `${program(channelId)}/participants/${encodeURIComponent(participantId)}`,
        { json: patch },
      ),
    uploadParticipantLogo: (channelId: string, participantId: string, image: Blob) =>
      client.request<unknown>(
        'PUT',
        `${program(channelId)}/participants/${encodeURIComponent(participantId)}/logo`,
        { body: image, contentType: image.type },
      ),
    revealParticipantSecret: (channelId: string, participantId: string) =>
      client.request<{ channelSecret: string }>(
        'POST',
        `${program(channelId)}/participants/${encodeURIComponent(participantId)}/secret/reveal`,
        { json: {} },
      ),
    rotateParticipantSecret: (channelId: string, participantId: string) =>
      client.request<{ channelSecret: string; previousExpiresAt: string }>(
        'POST',
        `${program(channelId)}/participants/${encodeURIComponent(participantId)}/secret/rotate`,
        { json: {} },
      ),
    listOrganizations: () => client.request<Organizations>('GET', '/v1/console/organizations'),
    getOrganization: (organizationId: string) =>
      client.request<OrganizationDetails>('GET', org(organizationId)),
    renameOrganization: (organizationId: string, name: string) =>
      client.request<OrganizationDetails>('PATCH', org(organizationId), { json: { name } }),
    changeMemberRole: (organizationId: string, operatorId: string, role: OrganizationRole) =>
      client.request<OrganizationDetails>(
        'PATCH',
        `${org(organizationId)}/members/${encodeURIComponent(operatorId)}`,
        { json: { role } },
      ),
    removeMember: (organizationId: string, operatorId: string) =>
      client.request<unknown>('DELETE', `${org(organizationId)}/members/${encodeURIComponent(operatorId)}`),
    listInvitations: (organizationId: string) =>
      client.request<Invitations>('GET', `${org(organizationId)}/invitations`),
    createInvitation: (organizationId: string, input: { email: string; role: OrganizationRole }) =>
      client.request<CreatedInvitation>('POST', `${org(organizationId)}/invitations`, { json: input }),
    revokeInvitation: (organizationId: string, invitationId: string) =>
      client.request<unknown>(
        'DELETE',
        `${org(organizationId)}/invitations/${encodeURIComponent(invitationId)}`,
      ),
    auditLog: (organizationId: string, before?: number) =>
      client.request<AuditPage>(
        'GET',
        `${org(organizationId)}/audit${before === undefined ? '' : `?before=${before}`}`,
      ),
    previewInvitation: (token: string) =>
      client.request<{ invitation: InvitationPreview }>('POST', '/v1/console/invitations/preview', {
        json: { token },
      }),
    acceptInvitation: (token: string) =>
      client.request<{ organization: Organization }>('POST', '/v1/console/invitations/accept', {
        json: { token },
      }),
  };
}

export type ConsoleApi = ReturnType<typeof createConsoleApi>;

/** The operator of a `me`/session answer (the API always nests it: `{operator}`). */
export function operatorOf(info: { operator: Operator } | undefined): Operator | undefined {
  return info?.operator;
}

/** The rows of a list answer (each `{program, bindings}`). */
export function programsOf(info: { programs: ProgramSummary[] }): ProgramSummary[] {
  return info.programs;
}

/** How many cards of the program members hold now (ACTIVE bindings). */
export function cardCountOf(summary: ProgramSummary): number {
  return summary.bindings.ACTIVE ?? 0;
}
