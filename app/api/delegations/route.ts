import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { createDelegation } from "@/lib/services/delegations/create";

export const POST = route(operations.createDelegation, async ({ ctx, rawBody }) => createDelegation(ctx, rawBody));
