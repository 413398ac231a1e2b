import type { GrantEndReason } from "@/lib/vocabulary/grant-end-reasons";
import type { MemberRole } from "@/lib/vocabulary/member-roles";

/** A grant that runs out, or that its own technician ends, has ended; every other end takes access away: revoked. */
export function endsAsRevoked(reason: GrantEndReason | null): boolean {
  return reason !== null && reason !== "expired" && reason !== "ended_by_technician";
}

/** Auditors read; they never hold access to a customer's tenant. */
export function mayHoldAccess(role: MemberRole): boolean {
  return role !== "auditor";
}
