import { bigint, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { mspId, mspIsolation, tstz } from "./_columns";
import { msps } from "./msps";

/**
 * Sealed heads of an MSP's audit chain. Each seal is an HMAC under a key the database never holds, over
 * the head's seq and hash and the previous seal, so whoever can rewrite the audit table cannot make a
 * matching checkpoint: a rewritten chain no longer meets its checkpoints, a shortened one falls short of them.
 */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    id: text("id").primaryKey(),
    mspId: mspId(() => msps.id),
    /** 1, 2, 3… per MSP: a missing number is a removed checkpoint. */
    n: bigint("n", { mode: "number" }).notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    sealedAt: tstz("sealed_at").notNull(),
    prevMac: text("prev_mac").notNull(),
    mac: text("mac").notNull(),
  },
  (t) => [
    uniqueIndex("audit_checkpoints_msp_n_idx").on(t.mspId, t.n),
    index("audit_checkpoints_msp_seq_idx").on(t.mspId, t.seq),
    mspIsolation("audit_checkpoints", t.mspId),
  ],
);

export type AuditCheckpoint = typeof auditCheckpoints.$inferSelect;
