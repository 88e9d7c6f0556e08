import type { OrganizationRole } from '@mycard/wire';

/**
 * What each role of an organization may do (PROTOCOL.md §7), as a closed set of rights:
 * - `owner`: everything, members and roles;
 * - `admin`: programs, credentials, participants, bundles — not members;
 * - `developer`: programs' technical settings and credentials — not members;
 * - `viewer`: read only, and never a secret.
 * Which right each console endpoint needs is in routes/console/console-rights.ts.
 */
export const ORGANIZATION_RIGHTS = {
  /** Read programs, their settings (no secret), testers, webhook deliveries, members. */
  'program.read': ['owner', 'admin', 'developer', 'viewer'],
  /** Register a program in the organization. */
  'program.create': ['owner', 'admin'],
  /** Name, colours, detail page, logo, status: what members see of the program. */
  'program.edit': ['owner', 'admin'],
  /** Code type, binding URL, webhook URL, testers, webhook resend: the integration. */
  'program.technical': ['owner', 'admin', 'developer'],
  /** Make a program a group program; add, rename, suspend participants and set their logos (§8). */
  'participants.manage': ['owner', 'admin'],
  /** Reveal and rotate channel secrets (a program's and its participants'). */
  'secret.use': ['owner', 'admin', 'developer'],
  /** Accept a campaign bundle's invitation for a program, or leave the bundle (PROTOCOL.md §9). */
  'bundle.manage': ['owner', 'admin'],
  /** Read the audit log. */
  'audit.read': ['owner', 'admin'],
  /** Rename the organization, invite, change roles, remove members. */
  'members.manage': ['owner'],
  /** Leave the organization (the last owner cannot: members.ts). */
  'members.leave': ['owner', 'admin', 'developer', 'viewer'],
} as const satisfies Record<string, readonly OrganizationRole[]>;

export type OrganizationRight = keyof typeof ORGANIZATION_RIGHTS;

/** Whether `role` holds `right`. */
export function roleHas(role: OrganizationRole, right: OrganizationRight): boolean {
  return (ORGANIZATION_RIGHTS[right] as readonly OrganizationRole[]).includes(role);
}
