import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { accessHooks, psaConnections, type AccessHook } from "@/db/schema";
import { notFound } from "@/lib/errors";

/** A hook as the console and the API show it: never its secret. */
export function publicHook(row: AccessHook) {
  const { secretEnvelope: _secret, updatedAt: _updated, mspId: _msp, createdAt, ...rest } = row;
  return { ...rest, createdAt: createdAt.toISOString() };
}
export type PublicHook = ReturnType<typeof publicHook>;

export async function hookInMsp(tx: Tx, mspId: string, hookId: string): Promise<AccessHook> {
  const [row] = await tx.select().from(accessHooks).where(and(eq(accessHooks.id, hookId), eq(accessHooks.mspId, mspId))).for("update");
  if (!row) throw notFound("Hook");
  return row;
}

export async function assertPsaConnection(tx: Tx, mspId: string, psaConnectionId: string): Promise<void> {
  const [row] = await tx.select({ id: psaConnections.id }).from(psaConnections).where(and(eq(psaConnections.id, psaConnectionId), eq(psaConnections.mspId, mspId)));
  if (!row) throw notFound("PSA connection");
}

/** A policy's hooks in order, locked: positions are renumbered 1…n after every change. */
export async function policyHooks(tx: Tx, mspId: string, policyId: string): Promise<AccessHook[]> {
  return tx.select().from(accessHooks).where(and(eq(accessHooks.mspId, mspId), eq(accessHooks.policyId, policyId))).orderBy(asc(accessHooks.position), asc(accessHooks.createdAt)).for("update");
}

/** Writes 1…n in the given order. */
export async function renumber(tx: Tx, mspId: string, ordered: AccessHook[]): Promise<void> {
  for (const [i, hook] of ordered.entries()) {
    if (hook.position !== i + 1) await tx.update(accessHooks).set({ position: i + 1 }).where(and(eq(accessHooks.id, hook.id), eq(accessHooks.mspId, mspId)));
  }
}
