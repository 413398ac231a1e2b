import { z } from "zod";
import { approvalModes } from "@/lib/vocabulary/approval-modes";
import { memberRoles } from "@/lib/vocabulary/member-roles";
import { paramsOf } from "./common";

export const policyParams = paramsOf("policyId", "The access policy's id.");

export const accessPolicyOutput = z.object({
  id: z.string(),
  name: z.string(),
  customerId: z.string().nullable(),
  accessLevelId: z.string().nullable(),
  approval: z.enum(approvalModes),
  approvalsRequired: z.number().int(),
  approverRoles: z.array(z.enum(memberRoles)),
  approverTeamIds: z.array(z.string()),
  approverMemberIds: z.array(z.string()),
  approvalExpiryMinutes: z.number().int(),
  emergencyAllowed: z.boolean(),
  ticketRequired: z.boolean(),
  ticketPattern: z.string().nullable(),
  justificationMinLength: z.number().int(),
  stepUpAtRequest: z.boolean(),
  hoursDays: z.array(z.number().int()),
  hoursFrom: z.string(),
  hoursTo: z.string(),
  restrictToHours: z.boolean(),
  maxDurationMinutes: z.number().int().nullable(),
  consentText: z.string().nullable(),
});

export const accessPolicyList = z.object({ items: z.array(accessPolicyOutput) });
