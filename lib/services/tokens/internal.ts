import { setTimeout as sleep } from "node:timers/promises";
import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { apiTokens, members } from "@/db/schema";
import { tokenDigest } from "@/lib/tokens/digest";

/**
 * The token with this value, whatever its MSP, with its owner: an index lookup by keyed digest, so no
 * secret is ever compared in application code. Needs a system transaction (the MSP is not known yet).
 */
export async function findTokenByValue(tx: Tx, token: string) {
  const [row] = await tx
    .select({ token: apiTokens, owner: { email: members.email, role: members.role, status: members.status } })
    .from(apiTokens)
    .innerJoin(members, and(eq(members.id, apiTokens.memberId), eq(members.mspId, apiTokens.mspId)))
    .where(eq(apiTokens.tokenDigest, tokenDigest(token)))
    .limit(1);
  return row ?? null;
}

/**
 * Waits until `floorMs` have passed since `startedMs` (performance.now()). Refusals are answered no
 * sooner than the floor, so the variable work behind them (an audit write for a known token, none for
 * an unknown one) does not show in the response time.
 */
export async function padToFloor(startedMs: number, floorMs: number): Promise<void> {
  const left = floorMs - (performance.now() - startedMs);
  if (left > 0) await sleep(left);
}
