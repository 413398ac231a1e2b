import { and, eq } from "drizzle-orm";
import { psaCompanyLinks } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/services/audit/record";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { psaConnectionInMsp } from "./internal";

/** Forgets which company a customer is: its ticket checks refuse until an admin confirms one again. */
export async function unlinkPsaCompany(ctx: ServiceContext, connectionId: string, customerId: string) {
  requirePermission(ctx, "access_policies:manage");
  return withMspTx(ctx.mspId, async (tx) => {
    const connection = await psaConnectionInMsp(tx, ctx.mspId, connectionId);
    const [gone] = await tx
      .delete(psaCompanyLinks)
      .where(and(eq(psaCompanyLinks.mspId, ctx.mspId), eq(psaCompanyLinks.psaConnectionId, connection.id), eq(psaCompanyLinks.customerId, customerId)))
      .returning();
    if (!gone) throw notFound("Company mapping");
    await recordAudit(tx, ctx, { action: "psa_company.unlinked", target: { type: "customer", id: customerId }, metadata: { psaConnectionId: connection.id, companyId: gone.companyId } });
    return { removed: true };
  });
}
