import { and, eq, ilike } from "drizzle-orm";
import { customers } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { sandboxAvailable } from "@/lib/entra/sandbox";
import { AppError } from "@/lib/errors";
import { requirePermission, type ServiceContext } from "@/lib/services/context";
import { createCustomer } from "@/lib/services/customers/create";

/**
 * Creates a customer backed by the emulated "Contoso (sandbox)" tenant; the admin then connects it
 * through the emulator's consent page like any real customer.
 */
export async function addSandboxCustomer(ctx: ServiceContext) {
  requirePermission(ctx, "customers:manage");
  if (!sandboxAvailable()) {
    throw new AppError("conflict", "The sandbox is offered only while Stint has no Entra app registration and the emulator runs (npm start).");
  }
  const taken = await withMspTx(ctx.mspId, (tx) =>
    tx.select({ name: customers.name }).from(customers).where(and(eq(customers.mspId, ctx.mspId), ilike(customers.name, "Contoso (sandbox)%"))),
  );
  const names = new Set(taken.map((t) => t.name.toLowerCase()));
  let name = "Contoso (sandbox)";
  for (let n = 2; names.has(name.toLowerCase()); n++) name = `Contoso (sandbox) ${n}`;
  return createCustomer(ctx, { name }, { isSandbox: true });
}
