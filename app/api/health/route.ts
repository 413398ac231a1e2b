import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { checkHealth } from "@/lib/services/health/check";

export const dynamic = "force-dynamic";

export const GET = route(operations.getHealth, async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
});
