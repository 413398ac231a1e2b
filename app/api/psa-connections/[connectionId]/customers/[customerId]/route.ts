import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { unlinkPsaCompany } from "@/lib/services/psa/unlink-company";

export const DELETE = route(operations.unlinkPsaCompany, async ({ ctx, params }) => {
  await unlinkPsaCompany(ctx, params.connectionId, params.customerId);
  return null;
});
