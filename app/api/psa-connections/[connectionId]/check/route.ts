import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { checkPsaConnection } from "@/lib/services/psa/check";

export const POST = route(operations.checkPsaConnection, async ({ ctx, params }) => checkPsaConnection(ctx, params.connectionId));
