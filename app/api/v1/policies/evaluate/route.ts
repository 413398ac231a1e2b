import { operations } from "@/lib/api/operations";
import { evaluatePolicy } from "@/lib/api/v1/policy";
import { route } from "@/lib/http/route";

export const POST = route(operations.evaluatePolicy, async ({ ctx, body, request }) => evaluatePolicy(ctx, body, request));
