import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { labelGrant } from "@/lib/services/grants/label";
import { retryRevocation } from "@/lib/services/grants/retry-revocation";

export const POST = route(operations.retryRevocation, async ({ ctx, params }) => grantDto(await labelGrant(ctx, await retryRevocation(ctx, params.grantId))));
