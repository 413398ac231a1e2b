import { asc } from "drizzle-orm";
import { msps } from "@/db/schema";
import { withSystemTx } from "@/db/tx";

/** Every MSP's id, for jobs that visit each MSP in turn (each visit then runs in that MSP's context). */
export async function listMspIds(): Promise<string[]> {
  const rows = await withSystemTx((tx) => tx.select({ id: msps.id }).from(msps).orderBy(asc(msps.id)));
  return rows.map((r) => r.id);
}
