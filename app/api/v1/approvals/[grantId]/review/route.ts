import { grantDto } from "@/lib/api/v1/mappers";
import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { reviewEmergencyGrant } from "@/lib/services/approvals/review";
import { labelGrant } from "@/lib/services/grants/label";

export const POST = route(operations.reviewEmergencyGrant, async ({ ctx, params, rawBody }) => grantDto(await labelGrant(ctx, await reviewEmergencyGrant(ctx, params.grantId, rawBody))));
