import { sessionRoute } from "@/lib/http/route";
import { createToken } from "@/lib/services/tokens/create";
import { listOwnTokens } from "@/lib/services/tokens/list";

export const GET = sessionRoute({}, async ({ ctx }) => listOwnTokens(ctx));

/** Needs a fresh passkey step-up; the answer carries the token, the only time it is ever shown. */
export const POST = sessionRoute({}, async ({ ctx, readJson }) => {
  const created = await createToken(ctx, await readJson());
  return { token: created.token, id: created.id, name: created.name, hint: created.hint, expiresAt: created.expiresAt };
});
