import { operations } from "@/lib/api/v1/operations";
import { isoRequired } from "@/lib/api/v1/schemas";
import { apiRoute } from "@/lib/http/api-route";
import { issueLaunchTicketForGrant } from "@/lib/services/tickets/issue-launch-ticket";

/**
 * The browser extension asks for a one-time launch ticket just before it fills a sign-in form. Token
 * callers only: the service refuses a console session, and checks the token's type, scope and the grant
 * (the owner's own, active, within the token's customers).
 */
export const POST = apiRoute(operations.issueLaunchTicket, async ({ ctx, params }) => {
  const { ticket, expiresAt, signInUrl, tenantId } = await issueLaunchTicketForGrant(ctx, params.grantId);
  return { ticket, expiresAt: isoRequired(expiresAt), signInUrl, tenantId };
});
