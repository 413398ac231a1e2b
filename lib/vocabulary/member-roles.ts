/** A member's role in their MSP; what each may do is lib/auth/permissions.ts. */
export const memberRoles = ["owner", "admin", "technician", "auditor"] as const;
export type MemberRole = (typeof memberRoles)[number];
