import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { cancelGrantRequest } from "@/lib/services/approvals/cancel";
import { labelGrant } from "@/lib/services/grants/label";

export const POST = route(operations.cancelGrantRequest, async ({ ctx, params }) => grantDto(await labelGrant(ctx, await cancelGrantRequest(ctx, params.grantId))));
