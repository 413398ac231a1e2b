import { AppError } from "@/lib/errors";
import { Alert } from "@/components/ui/alert";
import type { ServiceContext } from "@/lib/services/context";
import { listPsaCompanies } from "@/lib/services/psa/list-companies";
import { CompanyMappingTable } from "./company-mapping-table";

/**
 * The customers beside the PSA's companies, read from the PSA while the rest of the page shows; a PSA that refuses
 * or does not answer is said in words where the table would be.
 */
export async function CompanyMapping({ ctx, connectionId }: { ctx: ServiceContext; connectionId: string }) {
  let mapping;
  try {
    mapping = await listPsaCompanies(ctx, connectionId);
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "upstream_failed") throw err;
    return (
      <Alert variant="error" data-testid="psa-mapping-error">
        Could not read the companies: {err.message} Check the connection&apos;s settings, then reload the page.
      </Alert>
    );
  }
  return <CompanyMappingTable connectionId={connectionId} {...mapping} />;
}
