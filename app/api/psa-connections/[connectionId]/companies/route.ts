import { operations } from "@/lib/api/operations";
import { route } from "@/lib/http/route";
import { linkPsaCompany } from "@/lib/services/psa/link-company";
import { listPsaCompanies } from "@/lib/services/psa/list-companies";

export const GET = route(operations.listPsaCompanies, async ({ ctx, params }) => listPsaCompanies(ctx, params.connectionId));

export const PUT = route(operations.linkPsaCompany, async ({ ctx, params, rawBody }) => {
  await linkPsaCompany(ctx, params.connectionId, rawBody);
  return null;
});
