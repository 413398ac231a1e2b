import { sessionRoute } from "@/lib/http/route";
import { getGrant } from "@/lib/services/grants/get";

/** The grant and its timeline; the technician's page polls this while the account is being made. */
export const GET = sessionRoute({}, async ({ ctx, params }) => getGrant(ctx, params.grantId!));
