import { afterAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import { auditEvents } from "@/db/schema";
import { closeDb } from "@/db/client";
import { withMspTx, systemTxBypassingRls } from "@/db/tx";
import { systemContext } from "@/lib/services/context";
import { seedMspDirectly } from "@/test/factories";
import { recordAudit } from "./record";
import { verifyAuditChain } from "./verify-chain";

afterAll(async () => {
  await closeDb();
});

const LONE = "\ud800";
const NFD = "Cafe\u0301";

describe("audit events with text that Postgres cannot hold as it is", () => {
  it("are written (never lost to a database error), stored as hashed, and the chain verifies", async () => {
    const msp = await seedMspDirectly({ mspName: "Hostile text MSP" });
    const ctx = { ...systemContext(msp.mspId, "test.hostile"), request: { ip: null, userAgent: `agent ${LONE}` } };
    await withMspTx(msp.mspId, (tx) =>
      recordAudit(tx, ctx, {
        action: "grant.request_denied",
        result: "failure",
        reason: `justification ${LONE} with NUL \u0000 and ${NFD}`,
        target: { type: "customer", id: `cus_\u0000${LONE}`, label: NFD },
        metadata: { [`key${LONE}`]: [`value\u0000`, { nested: NFD }], plain: 1 },
      }),
    );
    await withMspTx(msp.mspId, (tx) => recordAudit(tx, ctx, { action: "test.after", metadata: {} }));

    const rows = await systemTxBypassingRls((tx) => tx.select().from(auditEvents).where(eq(auditEvents.mspId, msp.mspId)).orderBy(asc(auditEvents.seq)));
    const denied = rows.find((r) => r.action === "grant.request_denied")!;
    expect(denied.reason).toBe("justification \ufffd with NUL \ufffd and Caf\u00e9");
    expect(denied.targetId).toBe("cus_\ufffd\ufffd");
    expect(denied.targetLabel).toBe("Caf\u00e9");
    expect(denied.userAgent).toBe("agent \ufffd");
    expect(denied.metadata).toEqual({ "key\ufffd": ["value\ufffd", { nested: "Caf\u00e9" }], plain: 1 });
    expect(await verifyAuditChain(msp.mspId)).toEqual({ ok: true, eventsChecked: rows.length, checkpointsChecked: 0, firstBrokenSeq: null, detail: null });
  });
});
