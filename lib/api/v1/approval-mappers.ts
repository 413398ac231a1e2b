import type { z } from "zod";
import type { listMyApprovals } from "@/lib/services/approvals/list";
import type { approvalOutput } from "./approval-schemas";
import { iso, isoRequired } from "./schemas";

type ApprovalRow = Awaited<ReturnType<typeof listMyApprovals>>[number];

/** One entry of an approver's queue on the wire, with the console page where it is approved. */
export function approvalDto(g: ApprovalRow): z.input<typeof approvalOutput> {
  return {
    grantId: g.id,
    state: g.state,
    customer: { id: g.customerId, name: g.customerName },
    requester: { id: g.memberId, displayName: g.memberName },
    accessLevels: g.accessLevels,
    durationMinutes: g.durationMinutes,
    justification: g.justification,
    ticketRef: g.ticketRef,
    startAt: isoRequired(g.startAt),
    approvalExpiresAt: iso(g.approvalExpiresAt),
    approvalsRequired: g.approvalsRequired,
    approvedBy: g.approvedBy,
    emergency: g.emergency,
    createdAt: isoRequired(g.createdAt),
    consoleUrl: `/approvals#grant-${g.id}`,
  };
}
