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

/** The settings never shown again once saved: a blank in the form keeps the stored one. */
export const psaSecretFields = { halopsa: ["clientSecret"], connectwise: ["privateKey"] } as const;
const secretFields = new Set<string>(Object.values(psaSecretFields).flat());

/** A connection as the console and the API show it: its settings without the secret, never the credentials. */
export function publicPsaConnection(row: PsaConnection) {
  const settings = Object.fromEntries(
    Object.entries(openPsaSettings(row.id, row.settingsEnvelope)).filter((e): e is [string, string] => typeof e[1] === "string" && e[0] !== "kind" && !secretFields.has(e[0])),
  );
  return { id: row.id, kind: row.kind, name: row.name, baseUrl: row.baseUrl, settings, checkedAt: row.checkedAt?.toISOString() ?? null, checkError: row.checkError };
}
