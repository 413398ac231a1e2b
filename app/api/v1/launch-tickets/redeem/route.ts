import { credentialDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { redeemLaunchTicket } from "@/lib/services/tickets/redeem-launch-ticket";

/**
 * The content script redeems a launch ticket for the grant's credential, once. The service checks the
 * ticket's signature and lifetime, that the presenting token is the one it was issued to, and accepts its
 * jti atomically; the wrapper answers with cache-control: no-store, as it does for every v1 response.
 */
export const POST = route(operations.redeemLaunchTicket, async ({ ctx, body }) => {
  const c = await redeemLaunchTicket(ctx, body.ticket);
  return { ...credentialDto(c), tenantId: c.tenantId };
});
