import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { removePasskey } from "@/lib/services/passkeys/remove";
import { renamePasskey } from "@/lib/services/passkeys/rename";
import type { PasskeyNameInput } from "@/lib/services/passkeys/schemas";

export const PATCH = route(operations.renamePasskey, async ({ ctx, params, rawBody }) => {
  await renamePasskey(ctx, params.passkeyId, rawBody as PasskeyNameInput);
  return null;
});

export const DELETE = route(operations.removePasskey, async ({ ctx, params }) => {
  await removePasskey(ctx, params.passkeyId);
  return null;
});
