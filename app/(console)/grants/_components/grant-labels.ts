import { expiryActionLabels, type ExpiryAction } from "@/lib/vocabulary/expiry-actions";
import type { GrantEndReason } from "@/lib/vocabulary/grant-end-reasons";
import type { GrantState } from "@/lib/vocabulary/grant-states";

export const grantStateLabels: Record<GrantState, string> = {
  pending_approval: "Awaiting approval",
  approved: "Approved",
  provisioning: "Provisioning",
  active: "Active",
  expiring: "Ending",
  ended: "Ended",
  failed: "Failed",
  revoked: "Revoked",
  irrevocable: "Could not be revoked",
  denied: "Denied",
  expired: "Approval expired",
  cancelled: "Cancelled",
};

export const endReasonLabels: Record<GrantEndReason, string> = {
  expired: "Expired",
  ended_by_technician: "Ended early by the technician",
  revoked: "Revoked by an admin",
  kill_switch: "Kill switch",
  member_disabled: "Member disabled",
  role_changed: "Role no longer holds access",
  delegation_removed: "Delegation removed",
  access_level_archived: "Access level archived",
  access_level_disabled: "Access level switched off for the customer",
  customer_archived: "Customer archived",
  tenant_disconnected: "Entra ID disconnected",
  duration_exceeded: "Longer than today's maximum",
  ticket_closed: "Its ticket was closed",
  provisioning_failed: "Provisioning failed; what was made is being removed",
};

/** The words of one provisioning step, in the order the worker runs them. */
export const provisioningSteps = [
  { step: "requested", label: "Request accepted" },
  { step: "create_user", label: "Creating account" },
  { step: "issue_tap", label: "Issuing Temporary Access Pass" },
  { step: "assign_roles", label: "Assigning roles" },
  { step: "verify", label: "Verifying" },
] as const;

const EXPIRY_PREFIX = "expiry:";

function isExpiryStep(step: string): boolean {
  return step.startsWith(EXPIRY_PREFIX);
}

/** A timeline step as people read it: "Creating account", "Disable the account", … */
export function stepLabel(step: string): string {
  const provisioning = provisioningSteps.find((s) => s.step === step);
  if (provisioning) return provisioning.label;
  if (step === "renew_tap") return "Renewing Temporary Access Pass";
  if (step === "revoke_requested") return "Revoked by an admin";
  if (step === "kill_switch") return "Ended by the kill switch";
  const action = step.slice(EXPIRY_PREFIX.length) as ExpiryAction;
  return isExpiryStep(step) && action in expiryActionLabels ? expiryActionLabels[action] : step;
}
