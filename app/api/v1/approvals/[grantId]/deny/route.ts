import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { denyGrant } from "@/lib/services/approvals/deny";
import { labelGrant } from "@/lib/services/grants/label";

export const POST = route(operations.denyGrant, async ({ ctx, params, rawBody }) => grantDto(await labelGrant(ctx, await denyGrant(ctx, params.grantId, rawBody))));
