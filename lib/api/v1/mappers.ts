import type { z } from "zod";
import type { JitCredential } from "@/lib/services/grants/credential";
import type * as s from "./schemas";
import { iso, isoRequired } from "./schemas";

/** Service rows → the v1 wire shapes (camelCase, ISO times, nothing secret). */

type GrantLike = {
  id: string; state: string; customerId: string; memberId: string; upn: string; accessLevelIds: string[]; roleTemplateIds: string[];
  durationMinutes: number; extendedMinutes: number; justification: string; ticketRef: string | null; startAt: Date; usableFrom: Date | null;
  endsAt: Date | null; usableTo: Date | null; endReason: string | null; revokeReason: string | null; failureReason: string | null; createdAt: Date;
  signInMethod: JitCredential["signInMethod"]; tapExpiresAt: Date | null; tapRenewalError: string | null;
  customerName: string; isSandbox: boolean; memberName: string; memberEmail: string; accessLevels: { id: string; name: string }[];
  approvalsRequired: number; approvedBy: string[]; approvalExpiresAt: Date | null; denialReason: string | null; emergency: boolean;
  hookMetadata: string | null;
};

export function grantDto(g: GrantLike): z.input<typeof s.grantOutput> {
  return {
    id: g.id,
    state: g.state as z.input<typeof s.grantOutput>["state"],
    customerId: g.customerId,
    memberId: g.memberId,
    upn: g.upn,
    accessLevelIds: g.accessLevelIds,
    roleTemplateIds: g.roleTemplateIds,
    durationMinutes: g.durationMinutes,
    extendedMinutes: g.extendedMinutes,
    justification: g.justification,
    ticketRef: g.ticketRef,
    startAt: isoRequired(g.startAt),
    usableFrom: iso(g.usableFrom),
    endsAt: iso(g.endsAt),
    usableTo: iso(g.usableTo),
    endReason: g.endReason,
    revokeReason: g.revokeReason,
    failureReason: g.failureReason,
    signInMethod: g.signInMethod,
    temporaryAccessPassExpiresAt: iso(g.tapExpiresAt),
    temporaryAccessPassRenewalError: g.tapRenewalError,
    approvalsRequired: g.approvalsRequired,
    approvedBy: g.approvedBy,
    approvalExpiresAt: iso(g.approvalExpiresAt),
    denialReason: g.denialReason,
    emergency: g.emergency,
    hookMetadata: g.hookMetadata,
    createdAt: isoRequired(g.createdAt),
    customer: { name: g.customerName, isSandbox: g.isSandbox },
    member: { name: g.memberName, email: g.memberEmail },
    accessLevels: g.accessLevels.map((l) => ({ id: l.id, name: l.name })),
  };
}

type ConnectionLike = { status: string | null; tenantId: string | null; tenantName: string | null; healthOk: boolean | null; healthCheckedAt: Date | null } | null;

export function connectionDto(c: ConnectionLike) {
  if (!c || c.status === null) return null;
  return { status: c.status, tenantId: c.tenantId, tenantName: c.tenantName, healthOk: c.healthOk, healthCheckedAt: iso(c.healthCheckedAt) };
}

export function credentialDto(c: JitCredential) {
  return {
    userPrincipalName: c.userPrincipalName,
    signInMethod: c.signInMethod,
    temporaryAccessPass: c.temporaryAccessPass,
    temporaryAccessPassExpiresAt: iso(c.temporaryAccessPassExpiresAt),
    password: c.password,
  };
}
