import { operations } from "@/lib/api/operations";
import { FLOW_COOKIE } from "@/lib/http/cookies";
import { route } from "@/lib/http/route";
import { completeAddPasskey } from "@/lib/services/passkeys/add";

export const POST = route(operations.completeAddPasskey, async ({ req, ctx, rawBody }) => {
  await completeAddPasskey(ctx, rawBody, req.cookies.get(FLOW_COOKIE)?.value);
  return null;
});
