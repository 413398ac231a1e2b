import { sessionRoute } from "@/lib/http/route";
import { removePasskey } from "@/lib/services/passkeys/remove";
import { renamePasskey } from "@/lib/services/passkeys/rename";

export const PATCH = sessionRoute({}, async ({ ctx, params, readJson }) => {
  await renamePasskey(ctx, params.passkeyId!, await readJson());
  return { ok: true };
});

export const DELETE = sessionRoute({}, async ({ ctx, params }) => {
  await removePasskey(ctx, params.passkeyId!);
  return null;
});
