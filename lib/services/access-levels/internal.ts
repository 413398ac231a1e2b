import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessLevels, type AccessLevel } from "@/db/schema";
import { AppError, notFound } from "@/lib/errors";

export async function getAccessLevelInMsp(tx: Tx, mspId: string, accessLevelId: string): Promise<AccessLevel> {
  const [row] = await tx
    .select()
    .from(accessLevels)
    .where(and(eq(accessLevels.id, accessLevelId), eq(accessLevels.mspId, mspId)))
    .limit(1);
  if (!row) throw notFound("Access level");
  return row;
}

/** Every id must name a live access level of this MSP; otherwise a 422 naming the field. */
export async function assertAccessLevelsInMsp(tx: Tx, mspId: string, ids: string[], field = "accessLevelIds"): Promise<void> {
  if (ids.length === 0) return;
  const found = await tx
    .select({ id: accessLevels.id })
    .from(accessLevels)
    .where(and(eq(accessLevels.mspId, mspId), inArray(accessLevels.id, ids), isNull(accessLevels.archivedAt)));
  const missing = ids.filter((id) => !found.some((f) => f.id === id));
  if (missing.length) throw new AppError("validation_failed", `${field}: unknown access level ${missing.join(", ")}.`, { field });
}
