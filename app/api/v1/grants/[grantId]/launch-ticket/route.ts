import { operations } from "@/lib/api/operations";
import { isoRequired } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { issueLaunchTicketForGrant } from "@/lib/services/tickets/issue-launch-ticket";

/**
 * The browser extension asks for a one-time launch ticket just before it fills a sign-in form. Token
 * callers only: the service refuses a console session, and checks the token's type, scope and the grant
 * (the owner's own, active, within the token's customers).
 */
export const POST = route(operations.issueLaunchTicket, async ({ ctx, params }) => {
  const { ticket, expiresAt, signInUrl, tenantId } = await issueLaunchTicketForGrant(ctx, params.grantId);
  return { ticket, expiresAt: isoRequired(expiresAt), signInUrl, tenantId };
});
