import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { hookEvents, hookFailurePolicies, hookKinds, type PsaTicketOptions } from "@/lib/vocabulary/hooks";
import { createdAt, mspId, mspIsolation, updatedAt } from "./_columns";
import { accessPolicies } from "./access-policies";
import { msps } from "./msps";
import { psaConnections } from "./psa-connections";

/**
 * A hook an access policy runs on its grants, in `position` order: a signed webhook or a built-in PSA ticket
 * check, asked at the events it lists. A webhook's signing secret is sealed (context "access-hook:<id>:secret").
 */
export const accessHooks = pgTable(
  "access_hooks",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    policyId: text("policy_id").notNull().references(() => accessPolicies.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    name: text("name").notNull(),
    kind: text("kind", { enum: hookKinds }).notNull(),
    events: text("events", { enum: hookEvents }).array().notNull(),
    url: text("url"),
    secretEnvelope: text("secret_envelope"),
    psaConnectionId: text("psa_connection_id").references(() => psaConnections.id, { onDelete: "restrict" }),
    psaOptions: jsonb("psa_options").$type<PsaTicketOptions>(),
    timeoutMs: integer("timeout_ms").notNull().default(5000),
    onFailure: text("on_failure", { enum: hookFailurePolicies }).notNull().default("deny"),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("access_hooks_policy_idx").on(t.mspId, t.policyId, t.position),
    index("access_hooks_psa_idx").on(t.psaConnectionId).where(sql`${t.psaConnectionId} is not null`),
    mspIsolation("access_hooks", t.mspId),
  ],
);

export type AccessHook = typeof accessHooks.$inferSelect;
