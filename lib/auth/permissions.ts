import type { MemberRole } from "@/lib/vocabulary/member-roles";

/** The one permission map. The UI hides what a role lacks; services refuse it anyway. */
export const permissions = [
  "members:read",
  "members:invite",
  "members:manage",
  "audit:read",
  "msp:manage",
  /** See every customer (others see the customers delegated to them). */
  "customers:read_all",
  "customers:manage",
  "access_levels:manage",
  "delegations:manage",
  /** See every grant of the MSP (technicians see their own). */
  "grants:read_all",
  "grants:revoke",
  "grants:kill_switch",
  /** See and revoke every access token of the MSP (members manage their own). */
  "tokens:manage_all",
  /** Approve or deny others' requests where an access policy names the member as an approver. */
  "approvals:decide",
  "access_policies:manage",
  /** Notification endpoints, routing, SMTP and reminder settings of the MSP. */
  "notifications:manage",
] as const;
export type Permission = (typeof permissions)[number];

const byRole: Record<MemberRole, readonly Permission[]> = {
  owner: permissions,
  admin: [
    "members:read", "members:invite", "members:manage", "audit:read", "customers:read_all", "customers:manage",
    "access_levels:manage", "delegations:manage", "grants:read_all", "grants:revoke", "grants:kill_switch", "tokens:manage_all",
    "approvals:decide", "access_policies:manage",
    "notifications:manage",
  ],
  technician: ["approvals:decide"],
  auditor: ["members:read", "audit:read", "customers:read_all", "grants:read_all"],
};

export function can(role: MemberRole, permission: Permission): boolean {
  return byRole[role].includes(permission);
}

/** Who may invite, change, disable or recover whom: owners anyone; admins anyone but owners. */
export function canManageRole(actor: MemberRole, target: MemberRole): boolean {
  if (actor === "owner") return true;
  return actor === "admin" && target !== "owner";
}

export const roleLabels: Record<MemberRole, string> = {
  owner: "Owner",
  admin: "Admin",
  technician: "Technician",
  auditor: "Auditor",
};
