import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { createAccessHook } from "@/lib/services/hooks/create";
import { listAccessHooks } from "@/lib/services/hooks/list";

export const GET = route(operations.listAccessHooks, async ({ ctx, params }) => ({ items: await listAccessHooks(ctx, params.policyId) }));

export const POST = route(operations.createAccessHook, async ({ ctx, params, rawBody }) => createAccessHook(ctx, params.policyId, rawBody));
