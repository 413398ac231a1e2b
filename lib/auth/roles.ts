export const memberRoles = ["owner", "admin", "technician", "auditor"] as const;
export type MemberRole = (typeof memberRoles)[number];
