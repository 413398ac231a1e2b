import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { approveGrant } from "@/lib/services/approvals/approve";
import { labelGrant } from "@/lib/services/grants/label";

export const POST = route(operations.approveGrant, async ({ ctx, params, rawBody }) => grantDto(await labelGrant(ctx, await approveGrant(ctx, params.grantId, rawBody))));
