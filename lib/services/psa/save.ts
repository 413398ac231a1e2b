import { and, eq } from "drizzle-orm";
import { psaConnections } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { newId } from "@/lib/ids";
import { psaSettingsSchema } from "@/lib/psa/settings";
import { recordAudit } from "@/lib/services/audit/record";
import { requireFreshStepUp, requirePermission, type ServiceContext } from "@/lib/services/context";
import { psaSecretFields, publicPsaConnection } from "./internal";
import { psaConnectionInput } from "./schemas";
import { openPsaSettings, sealPsaSettings } from "./secrets";

const addressOf = (s: { kind: string } & Record<string, unknown>) => String(s.kind === "halopsa" ? s.baseUrl : s.siteUrl);

/**
 * Sets the MSP's connection to a PSA (one per kind): created the first time, replaced after. The credentials are
 * sealed; a secret left empty keeps the one stored. Who may ask a PSA about tickets is sensitive: a fresh passkey.
 */
export async function savePsaConnection(ctx: ServiceContext, input: unknown) {
  requirePermission(ctx, "access_policies:manage");
  requireFreshStepUp(ctx);
  const { name, settings: given } = psaConnectionInput.parse(input);
  return withMspTx(ctx.mspId, async (tx) => {
    const kind = given.kind;
    if (kind !== "halopsa" && kind !== "connectwise") throw new AppError("validation_failed", "Choose HaloPSA or ConnectWise PSA.", { field: "settings.kind" });
    const [existing] = await tx.select().from(psaConnections).where(and(eq(psaConnections.mspId, ctx.mspId), eq(psaConnections.kind, kind))).for("update");
    const stored = existing ? (openPsaSettings(existing.id, existing.settingsEnvelope) as unknown as Record<string, unknown>) : {};
    const merged = { ...given };
    for (const field of psaSecretFields[kind]) if (!merged[field] && stored[field]) merged[field] = stored[field];
    const settings = psaSettingsSchema.parse(merged);
    const id = existing?.id ?? newId("psaConnection");
    const values = { name, baseUrl: addressOf(settings), settingsEnvelope: sealPsaSettings(id, settings), checkedAt: null, checkError: null, updatedAt: new Date() };
    const [row] = existing
      ? await tx.update(psaConnections).set(values).where(and(eq(psaConnections.id, id), eq(psaConnections.mspId, ctx.mspId))).returning()
      : await tx.insert(psaConnections).values({ id, mspId: ctx.mspId, kind, ...values }).returning();
    await recordAudit(tx, ctx, { action: existing ? "psa_connection.updated" : "psa_connection.created", target: { type: "psa_connection", id, label: name }, metadata: { kind, address: values.baseUrl } });
    return publicPsaConnection(row!);
  });
}
