import { and, eq } from "drizzle-orm";
import { customers, psaCompanyLinks } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { notFound } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { requireMember, requirePermission, type ServiceContext } from "@/lib/services/context";
import { psaConnectionInMsp } from "./internal";
import { psaLinkInput } from "./schemas";

/** An admin confirms which PSA company a customer is; a ticket check then holds tickets to that company. */
export async function linkPsaCompany(ctx: ServiceContext, connectionId: string, input: unknown) {
  requirePermission(ctx, "access_policies:manage");
  const me = requireMember(ctx);
  const link = psaLinkInput.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const connection = await psaConnectionInMsp(tx, ctx.mspId, connectionId);
    const [customer] = await tx.select({ id: customers.id, name: customers.name }).from(customers).where(and(eq(customers.id, link.customerId), eq(customers.mspId, ctx.mspId)));
    if (!customer) throw notFound("Customer");
    const values = { companyId: link.companyId, companyName: link.companyName, confirmedBy: me.memberId };
    const [row] = await tx
      .insert(psaCompanyLinks)
      .values({ id: newId("psaCompanyLink"), mspId: ctx.mspId, psaConnectionId: connection.id, customerId: customer.id, ...values })
      .onConflictDoUpdate({ target: [psaCompanyLinks.psaConnectionId, psaCompanyLinks.customerId], set: values })
      .returning();
    await recordAudit(tx, ctx, { action: "psa_company.linked", target: { type: "customer", id: customer.id, label: customer.name }, metadata: { psaConnectionId: connection.id, companyId: link.companyId, companyName: link.companyName } });
    return row!;
  });
}
