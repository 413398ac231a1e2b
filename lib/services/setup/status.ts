import { eq } from "drizzle-orm";
import { systemState } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";

/** Setup is open until the first MSP exists, and closed for good after that. */
export async function isSetupOpen(): Promise<boolean> {
  // Setup comes before any MSP exists.
  const [row] = await systemTxBypassingRls((tx) =>
    tx.select({ key: systemState.key }).from(systemState).where(eq(systemState.key, "setup")).limit(1),
  );
  return !row;
}
