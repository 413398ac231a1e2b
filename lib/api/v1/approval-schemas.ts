import "zod-openapi";
import { z } from "zod";
import { approveGrantInput, denyGrantInput, reviewGrantInput } from "@/lib/services/approvals/schemas";
import { grantStates } from "@/lib/vocabulary/grant-states";

/** Approvals and the access policies' demands on the v1 wire: ISO times, member ids. */

const time = z.iso.datetime({ offset: true }).meta({ description: "ISO-8601 time (UTC)." });

export const approvalParams = z.object({ grantId: z.string().min(1).max(40).meta({ description: "The id of the grant waiting for approval (or review)." }) });

export const approvalOutput = z
  .object({
    grantId: z.string(),
    state: z.enum(grantStates),
    customer: z.object({ id: z.string(), name: z.string() }),
    requester: z.object({ id: z.string(), displayName: z.string() }),
    accessLevels: z.array(z.object({ id: z.string(), name: z.string() })),
    durationMinutes: z.number().int(),
    justification: z.string(),
    ticketRef: z.string().nullable(),
    startAt: time,
    approvalExpiresAt: time.nullable(),
    approvalsRequired: z.number().int(),
    approvedBy: z.array(z.string()),
    emergency: z.boolean().meta({ description: "true: a break-glass grant that already runs and waits for a review, not for approval." }),
    createdAt: time,
    consoleUrl: z.string().meta({ description: "Where an approver approves it with their passkey." }),
  })
  .meta({ id: "Approval" });

export const approvalList = z.object({ items: z.array(approvalOutput) }).meta({ id: "ApprovalList" });

export const approveBody = approveGrantInput.meta({ id: "ApprovalGrant" });
export const denyBody = denyGrantInput.meta({ id: "ApprovalDenial" });
export const reviewBody = reviewGrantInput.meta({ id: "EmergencyReview" });

export const policyDemandsOutput = z
  .object({
    policies: z.array(z.object({ id: z.string(), name: z.string() })).meta({ description: "The access policies that apply; none: only the delegation counts." }),
    approvalRequired: z.boolean(),
    approvalsRequired: z.number().int().meta({ description: "0 without approval; 2: two different members." }),
    approvers: z.array(z.object({ id: z.string(), displayName: z.string() })).meta({ description: "Who may approve (never the requester)." }),
    approvalExpiryMinutes: z.number().int(),
    emergencyAllowed: z.boolean().meta({ description: "Whether a break-glass request may skip the approval." }),
    ticketRequired: z.boolean(),
    ticketPatterns: z.array(z.string()).meta({ description: "Regular expressions the whole ticket reference must match." }),
    justificationMinLength: z.number().int(),
    stepUpAtRequest: z.boolean().meta({ description: "A fresh passkey confirmation when requesting: console only." }),
    timeZone: z.string(),
    hours: z.array(z.object({ policy: z.string(), days: z.array(z.number().int()), from: z.string(), to: z.string(), restricts: z.boolean(), within: z.boolean() })),
    maxDurationMinutes: z.number().int().nullable(),
    consentText: z.string().nullable().meta({ description: "The terms the requester must accept." }),
  })
  .meta({ id: "PolicyDemands" });
