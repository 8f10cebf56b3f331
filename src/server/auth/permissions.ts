// THE permission table. Code asks "may this actor do <permission>?", never "is this actor
// an admin?": a role's powers change here and nowhere else.
import type { CommunityRole } from "@/generated/prisma/enums";

export const COMMUNITY_PERMISSIONS = [
  "community.read", // the organiser's dashboard: settings, status, private details
  "community.write", // name, description, rules
  "community.delete",
  "members.read",
  "members.manage", // invite members, revoke invitations, remove members
  "admins.manage", // invite, promote, demote or remove admins; transfer ownership
  "billing.read",
  "billing.write",
  "instance.read",
  "instance.manage", // restart, upgrade, export the running instance
  "instance.credentials", // see the instance's first admin password (once); not even host admins
  "instance.export", // ask for and download the instance's export archives (they hold its secrets); host admins use /admin
  "instance.restore", // put one of those archives back onto the instance (replaces its data); host admins use /admin
] as const;

export const HOST_PERMISSIONS = [
  "admin.dashboard", // see every tenant, its status, funding and load
  "admin.plans.write",
  "admin.settings.write",
  "admin.tenants.manage", // suspend, resume, restart, upgrade, delete any tenant
  "admin.users.read",
  "admin.mail.read", // the mail viewer: every message Hearth queued, in full when kept in Hearth (no SMTP)
] as const;

export type CommunityPermission = (typeof COMMUNITY_PERMISSIONS)[number];
export type HostPermission = (typeof HOST_PERMISSIONS)[number];
export type Permission = CommunityPermission | HostPermission;

const MEMBER: readonly CommunityPermission[] = ["community.read", "members.read", "billing.read", "instance.read"];
const ADMIN: readonly CommunityPermission[] = [...MEMBER, "community.write", "members.manage", "instance.manage"];
const OWNER: readonly CommunityPermission[] = [
  ...ADMIN,
  "admins.manage",
  "billing.write",
  "community.delete",
  "instance.credentials",
  "instance.export",
  "instance.restore",
];

export const ROLE_PERMISSIONS: Record<CommunityRole, readonly CommunityPermission[]> = { OWNER, ADMIN, MEMBER };

// What a host admin may do in any community, member or not. The host runs the machines,
// so it sees and operates every instance and can remove a tenant; the community governs
// its own content, members and money, so those stay with its owner and admins.
export const HOST_ADMIN_COMMUNITY_PERMISSIONS: readonly CommunityPermission[] = [
  "community.read",
  "members.read",
  "billing.read",
  "instance.read",
  "instance.manage",
  "community.delete",
];

/**
 * What a named host admin still lacks before the admin rights count (src/server/auth/actor.ts):
 * a verified email, an enrolled second factor, or that factor passed in this session.
 */
export type AdminGate = "verify-email" | "enrol-second-factor" | "second-factor";

/**
 * Who is asking: a signed-in person, as loaded fresh from the database for this request.
 * `isHostAdmin` is true only for a named host admin with a verified email who passed the
 * second factor in this session; `adminGate` names what is missing for one who has not.
 */
export type Actor = {
  id: string;
  email: string;
  name: string | null;
  isHostAdmin: boolean;
  adminGate?: AdminGate;
  sessionId?: string;
};

/** The roles that grant a permission (for Prisma `where` clauses). */
export function rolesWith(permission: CommunityPermission): CommunityRole[] {
  return (Object.keys(ROLE_PERMISSIONS) as CommunityRole[]).filter((role) =>
    ROLE_PERMISSIONS[role].includes(permission),
  );
}

/** Whether an actor holding `role` in a community (or none) has a community permission. */
export function hasCommunityPermission(
  actor: Pick<Actor, "isHostAdmin">,
  role: CommunityRole | null | undefined,
  permission: CommunityPermission,
): boolean {
  if (role && ROLE_PERMISSIONS[role].includes(permission)) return true;
  return actor.isHostAdmin && HOST_ADMIN_COMMUNITY_PERMISSIONS.includes(permission);
}

/** Every community permission the actor has with `role`: for showing only usable controls. */
export function communityPermissionsOf(
  actor: Pick<Actor, "isHostAdmin">,
  role: CommunityRole | null | undefined,
): CommunityPermission[] {
  return COMMUNITY_PERMISSIONS.filter((permission) => hasCommunityPermission(actor, role, permission));
}

/** Host-wide permissions: all of them for host admins, none for anyone else. */
export function hasHostPermission(actor: Pick<Actor, "isHostAdmin"> | null, permission: HostPermission): boolean {
  return Boolean(actor?.isHostAdmin) && HOST_PERMISSIONS.includes(permission);
}
