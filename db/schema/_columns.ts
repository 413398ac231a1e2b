import { sql, type SQL } from "drizzle-orm";
import { pgPolicy, text, timestamp, type AnyPgColumn } from "drizzle-orm/pg-core";

export const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
export const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
export const tstz = (name: string) => timestamp(name, { withTimezone: true });

// The MSP is the isolation boundary: every MSP-data row carries msp_id, which services scope by and
// mspIsolation's row-level security checks (docs/architecture.md, "Tenant isolation, twice").
export const mspId = (references: () => AnyPgColumn) =>
  text("msp_id").notNull().references(references, { onDelete: "cascade" });

/**
 * Row-level security, the second wall behind service scoping. A row is visible when it belongs to the
 * MSP set with set_config('app.msp_id', …, true) in the current transaction, or when the transaction was
 * opened as an explicit system transaction (db/tx.ts). With neither setting, no row is visible.
 */
export const mspVisible = (column: AnyPgColumn): SQL =>
  sql`(${column} = nullif(current_setting('app.msp_id', true), '') or current_setting('app.system', true) = 'on')`;

export const mspIsolation = (name: string, column: AnyPgColumn) =>
  pgPolicy(`${name}_msp_isolation`, {
    as: "permissive",
    for: "all",
    to: "public",
    using: mspVisible(column),
    withCheck: mspVisible(column),
  });
