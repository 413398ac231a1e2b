import { rateLimit } from "@/lib/http/rate-limit";
import { publicRoute } from "@/lib/http/route";
import { reportLeakedToken } from "@/lib/services/tokens/report-leaked";

/** Report a leaked token: no sign-in, and the same answer whatever was sent (see the service). */
export const POST = publicRoute(async ({ request, readJson }) => {
  await rateLimit("token-report", request.ip ?? "unknown", 30, 60);
  return reportLeakedToken(await readJson(), request);
});
