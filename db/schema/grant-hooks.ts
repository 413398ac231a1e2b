import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { hookVerdicts } from "@/lib/vocabulary/hooks";
import { createdAt, mspId, mspIsolation, tstz } from "./_columns";
import { accessHooks } from "./access-hooks";
import { grants } from "./grants";
import { msps } from "./msps";

/**
 * One hook's part in one grant, fixed when the grant is requested: the hook's cookie (sealed, context
 * "grant-hook:<id>:cookie", handed back on its next call), its metadata, and how authorize went. Its
 * session_ended call is a notification delivery (notification_deliveries.grant_hook_id), sent once.
 */
export const grantHooks = pgTable(
  "grant_hooks",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    grantId: text("grant_id").notNull().references(() => grants.id, { onDelete: "cascade" }),
    /** Null once the hook is removed from its policy; the grant keeps its name and what it said. */
    hookId: text("hook_id").references(() => accessHooks.id, { onDelete: "set null" }),
    hookName: text("hook_name").notNull(),
    position: integer("position").notNull(),
    cookieEnvelope: text("cookie_envelope"),
    /** The hook's `additional_metadata`, the last it returned. */
    metadata: text("metadata"),
    authorizeVerdict: text("authorize_verdict", { enum: hookVerdicts }),
    authorizedAt: tstz("authorized_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("grant_hooks_grant_hook_uq").on(t.grantId, t.hookId), index("grant_hooks_msp_grant_idx").on(t.mspId, t.grantId), mspIsolation("grant_hooks", t.mspId)],
);

export type GrantHook = typeof grantHooks.$inferSelect;
