import { asc } from "drizzle-orm";
import { msps } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";

/** Every MSP's id, for jobs that visit each MSP in turn (each visit then runs in that MSP's context). */
export async function listMspIds(): Promise<string[]> {
  // Reads every MSP: a scoped transaction would see only its own.
  const rows = await systemTxBypassingRls((tx) => tx.select({ id: msps.id }).from(msps).orderBy(asc(msps.id)));
  return rows.map((r) => r.id);
}
