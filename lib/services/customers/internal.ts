import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { customers, type Customer } from "@/db/schema";
import { notFound } from "@/lib/errors";
import type { ServiceContext } from "@/lib/services/context";
import { visibleCustomers } from "@/lib/services/delegations/visibility";

/** A customer the actor may see, by id, or "not found" (whether it exists elsewhere or not at all). */
export async function getVisibleCustomer(tx: Tx, ctx: ServiceContext, customerId: string): Promise<Customer> {
  const [row] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), visibleCustomers(tx, ctx)))
    .limit(1);
  if (!row) throw notFound("Customer");
  return row;
}

/** Unique-name conflicts surface as a clear 409 instead of a database error. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const cause = (err as { cause?: { code?: string; constraint_name?: string } })?.cause ?? (err as { code?: string; constraint_name?: string });
  return cause?.code === "23505" && cause.constraint_name === constraint;
}
