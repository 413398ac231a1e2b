import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { removePsaConnection } from "@/lib/services/psa/remove";

export const DELETE = route(operations.removePsaConnection, async ({ ctx, params }) => {
  await removePsaConnection(ctx, params.connectionId);
  return null;
});
