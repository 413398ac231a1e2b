import { and, asc, eq } from "drizzle-orm";
import { customers, psaCompanyLinks } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { suggestCompany } from "@/lib/psa/suggest-company";
import { PsaError } from "@/lib/psa/types";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { psaClientOf, psaConnectionInMsp } from "./internal";

/**
 * The PSA's companies beside the MSP's active customers: each customer with the company an admin confirmed, or
 * else the one its name suggests (to confirm, never used before that).
 */
export async function listPsaCompanies(ctx: ServiceContext, connectionId: string) {
  requirePermission(ctx, "access_policies:manage");
  const { connection, rows, links } = await withMspTx(ctx.mspId, async (tx) => {
    const connection = await psaConnectionInMsp(tx, ctx.mspId, connectionId);
    const rows = await tx.select({ id: customers.id, name: customers.name }).from(customers).where(and(eq(customers.mspId, ctx.mspId), eq(customers.status, "active"))).orderBy(asc(customers.name));
    const links = await tx.select().from(psaCompanyLinks).where(and(eq(psaCompanyLinks.mspId, ctx.mspId), eq(psaCompanyLinks.psaConnectionId, connection.id)));
    return { connection, rows, links };
  });
  let companies;
  try {
    companies = await psaClientOf(connection).listCompanies();
  } catch (err) {
    if (err instanceof PsaError) throw new AppError("upstream_failed", `${connection.name}: ${err.message}`, { cause: err });
    throw err;
  }
  return {
    companies,
    customers: rows.map((c) => {
      const link = links.find((l) => l.customerId === c.id);
      return {
        customerId: c.id,
        customerName: c.name,
        linked: link ? { companyId: link.companyId, companyName: link.companyName } : null,
        suggested: link ? null : suggestCompany(c.name, companies),
      };
    }),
  };
}
