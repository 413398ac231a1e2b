import type { Grant } from "../shared/api-types";

type Clock = (date: Date) => string;

/**
 * Why Sign in cannot work for a grant right now, or null when it can: the account is not ready (waiting for
 * approval, not started, being made), access is ending, or it signs in with a password only on a customer
 * whose tenant has demanded MFA of one (src/background/mfa-demands.ts).
 */
export function whySignInCannotWork(
  grant: Pick<Grant, "state" | "signInMethod" | "startAt" | "customerId">,
  mfaDemandingCustomers: readonly string[],
  clock: Clock,
  now: number,
): string | null {
  switch (grant.state) {
    case "pending_approval":
      return "Waiting for approval. Sign in is offered once it is approved and the account is ready.";
    case "approved":
    case "provisioning": {
      const start = new Date(grant.startAt);
      return start.getTime() > now
        ? `Starts at ${clock(start)}. Sign in is offered once the account is ready.`
        : "The account is being made. Sign in is offered once it is ready.";
    }
    case "active":
      return grant.signInMethod === "password" && mfaDemandingCustomers.includes(grant.customerId)
        ? "Not offered: this customer's tenant asked this password-only account for MFA, which a password cannot give. An admin can switch the customer to Temporary Access Pass sign-in; then request access again."
        : null;
    default:
      return "Access is ending: Sign in is no longer offered.";
  }
}
