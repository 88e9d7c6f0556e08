import type { FastifyRequest } from 'fastify';
import type { OrganizationRight } from '../../organizations/organization-rights.js';

/** Fields of `PATCH /programs/{channelId}` that are the integration, not the program's face. */
const TECHNICAL_FIELDS = new Set(['codeType', 'bindingUrl', 'webhookUrl']);

/**
 * The right each console endpoint about an organization's resources needs (PROTOCOL.md §7), by
 * `METHOD route`. One table so that review and the role test (every endpoint × every role) read the
 * same thing; an endpoint that loads a program or an organization but is missing here fails closed
 * (9000). A PATCH touching only technical fields needs `program.technical`, any other field
 * `program.edit`.
 */
export const CONSOLE_RIGHTS: Record<
  string,
  OrganizationRight | ((request: FastifyRequest) => OrganizationRight)
> = {
  'POST /programs': 'program.create',
  'GET /programs/:channelId': 'program.read',
  'PATCH /programs/:channelId': (request) =>
    Object.keys((request.body as Record<string, unknown> | undefined) ?? {}).every((k) =>
      TECHNICAL_FIELDS.has(k),
    )
      ? 'program.technical'
      : 'program.edit',
  'PUT /programs/:channelId/logo': 'program.edit',
  'POST /programs/:channelId/status': 'program.edit',
  'PUT /programs/:channelId/testers': 'program.technical',
  'POST /programs/:channelId/secret/reveal': 'secret.use',
  'POST /programs/:channelId/secret/rotate': 'secret.use',
  'DELETE /programs/:channelId/revision': 'program.edit',
  'GET /reviews/:reviewId/logo': 'program.read',
  'GET /programs/:channelId/webhooks': 'program.read',
  'POST /programs/:channelId/webhooks/:eventId/resend': 'program.technical',
  'POST /programs/:channelId/bundles/:bundleId/accept': 'bundle.manage',
  'POST /programs/:channelId/bundles/:bundleId/leave': 'bundle.manage',
  'POST /programs/:channelId/group': 'participants.manage',
  'GET /programs/:channelId/participants': 'program.read',
  'POST /programs/:channelId/participants': 'participants.manage',
  'PATCH /programs/:channelId/participants/:participantId': 'participants.manage',
  'PUT /programs/:channelId/participants/:participantId/logo': 'participants.manage',
  'POST /programs/:channelId/participants/:participantId/secret/reveal': 'secret.use',
  'POST /programs/:channelId/participants/:participantId/secret/rotate': 'secret.use',
  'GET /organizations/:organizationId': 'program.read',
  'PATCH /organizations/:organizationId': 'members.manage',
  'GET /organizations/:organizationId/invitations': 'members.manage',
  'POST /organizations/:organizationId/invitations': 'members.manage',
  'DELETE /organizations/:organizationId/invitations/:invitationId': 'members.manage',
  'PATCH /organizations/:organizationId/members/:operatorId': 'members.manage',
  // Removing oneself is leaving: any member; removing someone else is the owners'.
  'DELETE /organizations/:organizationId/members/:operatorId': (request) =>
    (request.params as { operatorId?: string }).operatorId === request.consoleOperator?.id
      ? 'members.leave'
      : 'members.manage',
  'GET /organizations/:organizationId/audit': 'audit.read',
};

/**
 * Console endpoints that act on no organization's resource: the operator's own session and account,
 * lists filtered to the operator's memberships, and the platform's public key.
 */
export const CONSOLE_SELF_ROUTES = new Set([
  'POST /signup',
  'POST /session',
  'POST /session/link',
  'DELETE /session',
  'GET /me',
  'GET /programs',
  'GET /organizations',
  // Bundle invitations of the programs of the operator's organizations.
  'GET /bundles',
  // An invitation is addressed to one e-mail: the signed-in operator's own (invitations.ts).
  'POST /invitations/preview',
  'POST /invitations/accept',
  'GET /platform-key.pem',
  // Notices are addressed to one operator (the one who asked for the review).
  'GET /notices',
  'POST /notices/:noticeId/read',
]);

/** Console endpoints of the platform's own administrators: by platform role, not organization role. */
export const CONSOLE_PLATFORM_ADMIN_PREFIX = '/admin/';

/** The right the current request's endpoint needs, or undefined when the table has no entry. */
export function rightOf(request: FastifyRequest): OrganizationRight | undefined {
  const url = request.routeOptions.url ?? '';
  const key = `${request.method} ${url.replace(/^\/v1\/console/, '')}`;
  const entry = CONSOLE_RIGHTS[key];
  return typeof entry === 'function' ? entry(request) : entry;
}
