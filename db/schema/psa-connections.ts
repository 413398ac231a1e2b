import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { psaKinds } from "@/lib/vocabulary/psa-kinds";
import { createdAt, mspId, mspIsolation, tstz, updatedAt } from "./_columns";
import { msps } from "./msps";

/**
 * An MSP's PSA (HaloPSA or ConnectWise PSA) that ticket checks ask. Its settings, credentials included, are one
 * sealed JSON document (context "psa-connection:<id>:settings"); only the address is kept in the clear, to show.
 */
export const psaConnections = pgTable(
  "psa_connections",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    kind: text("kind", { enum: psaKinds }).notNull(),
    name: text("name").notNull(),
    baseUrl: text("base_url").notNull(),
    settingsEnvelope: text("settings_envelope").notNull(),
    checkedAt: tstz("checked_at"),
    /** Why the last check failed; null when it passed or none ran. */
    checkError: text("check_error"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("psa_connections_msp_kind_uq").on(t.mspId, t.kind), index("psa_connections_msp_idx").on(t.mspId), mspIsolation("psa_connections", t.mspId)],
);

export type PsaConnection = typeof psaConnections.$inferSelect;
