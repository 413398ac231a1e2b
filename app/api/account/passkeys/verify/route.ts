import { FLOW_COOKIE } from "@/lib/http/cookies";
import { sessionRoute } from "@/lib/http/route";
import { completeAddPasskey } from "@/lib/services/passkeys/add";

export const POST = sessionRoute({}, async ({ req, ctx, readJson }) => {
  await completeAddPasskey(ctx, await readJson(), req.cookies.get(FLOW_COOKIE)?.value);
  return { ok: true };
});
