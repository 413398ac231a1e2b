import { connectionDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { isoRequired } from "@/lib/api/v1/schemas";
import { route } from "@/lib/http/route";
import { getCustomer } from "@/lib/services/customers/get";
import { signInReadiness } from "@/lib/services/customers/sign-in-readiness";

export const GET = route(operations.getCustomer, async ({ ctx, params }) => {
  const { customer: c, connection } = await getCustomer(ctx, params.customerId);
  return {
    id: c.id,
    name: c.name,
    status: c.status,
    isSandbox: c.isSandbox,
    upnDomain: c.upnDomain,
    defaultDurationMinutes: c.defaultDurationMinutes,
    maxDurationMinutes: c.maxDurationMinutes,
    consentText: c.consentText,
    signInMethod: c.signInMethod,
    signIn: signInReadiness(c, connection),
    createdAt: isoRequired(c.createdAt),
    connection: connectionDto(connection),
  };
});
