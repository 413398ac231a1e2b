import { publicRoute } from "@/lib/http/route";
import { checkHealth } from "@/lib/services/health/check";

export const dynamic = "force-dynamic";

export const GET = publicRoute(async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
});
