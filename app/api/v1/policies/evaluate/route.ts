import { operations } from "@/lib/api/v1/operations";
import { evaluatePolicy } from "@/lib/api/v1/policy";
import { apiRoute } from "@/lib/http/api-route";

export const POST = apiRoute(operations.evaluatePolicy, async ({ ctx, body, request }) => evaluatePolicy(ctx, body, request));
