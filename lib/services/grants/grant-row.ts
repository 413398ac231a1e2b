import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grants, type Grant } from "@/db/schema";
import { notFound } from "@/lib/errors";

/** One grant of the MSP, optionally locked for the rest of the caller's transaction; "not found" otherwise. */
export async function getGrantInMsp(tx: Tx, mspId: string, grantId: string, options: { lock?: boolean } = {}): Promise<Grant> {
  const query = tx.select().from(grants).where(and(eq(grants.id, grantId), eq(grants.mspId, mspId))).limit(1);
  const [row] = options.lock ? await query.for("update") : await query;
  if (!row) throw notFound("Grant");
  return row;
}
