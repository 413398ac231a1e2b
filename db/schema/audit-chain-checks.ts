import { bigint, boolean, index, pgTable, text } from "drizzle-orm/pg-core";
import { mspId, mspIsolation, tstz } from "./_columns";
import { msps } from "./msps";

/** Results of the audit-chain verifier (worker job and `npm run audit:verify`). */
export const auditChainChecks = pgTable(
  "audit_chain_checks",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    checkedAt: tstz("checked_at").notNull().defaultNow(),
    ok: boolean("ok").notNull(),
    eventsChecked: bigint("events_checked", { mode: "number" }).notNull(),
    checkpointsChecked: bigint("checkpoints_checked", { mode: "number" }).notNull().default(0),
    firstBrokenSeq: bigint("first_broken_seq", { mode: "number" }),
    detail: text("detail"),
  },
  (t) => [index("audit_chain_checks_msp_idx").on(t.mspId, t.checkedAt), mspIsolation("audit_chain_checks", t.mspId)],
);

export type AuditChainCheck = typeof auditChainChecks.$inferSelect;
