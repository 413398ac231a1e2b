import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { psaConnections, type PsaConnection } from "@/db/schema";
import { notFound } from "@/lib/errors";
import { psaClientFor } from "@/lib/psa/client-for";
import type { PsaClient } from "@/lib/psa/types";
import { openPsaSettings } from "./secrets";

export async function psaConnectionInMsp(tx: Tx, mspId: string, connectionId: string): Promise<PsaConnection> {
  const [row] = await tx.select().from(psaConnections).where(and(eq(psaConnections.id, connectionId), eq(psaConnections.mspId, mspId)));
  if (!row) throw notFound("PSA connection");
  return row;
}

export const psaClientOf = (connection: PsaConnection): PsaClient => psaClientFor(openPsaSettings(connection.id, connection.settingsEnvelope));

/** A connection as the console and the API show it: the address, never the credentials. */
export function publicPsaConnection(row: PsaConnection) {
  return { id: row.id, kind: row.kind, name: row.name, baseUrl: row.baseUrl, checkedAt: row.checkedAt?.toISOString() ?? null, checkError: row.checkError };
}
