import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import type postgres from "postgres";
import { auditChainChecks, auditEvents } from "@/db/schema";
import { closeDb } from "@/db/client";
import { withMspTx, systemTxBypassingRls } from "@/db/tx";
import { systemContext, type ServiceContext } from "@/lib/services/context";
import { completeSignIn, startSignIn } from "@/lib/services/auth/sign-in";
import { createInvite } from "@/lib/services/invites/create";
import { SoftAuthenticator } from "@/test/soft-authenticator";
import {
  acceptInviteLink,
  contextFor,
  inviteTokenOf,
  newFlowToken,
  seedMspDirectly,
  signIn,
  stepUp,
  superuserSql,
  testRequest,
  uniqueEmail,
} from "@/test/factories";
import { GENESIS_HASH } from "./canonical";
import { listAuditEvents } from "./list";
import { recordAudit } from "./record";
import { verifyAndRecordAuditChain, verifyAuditChain } from "./verify-chain";

let su: postgres.Sql;
beforeAll(() => {
  su = superuserSql();
});
afterAll(async () => {
  await su.end();
  await closeDb();
});

/** A fresh MSP (so its chain starts at seq 1) with `n` events recorded one transaction each. */
async function mspWithEvents(n: number) {
  const msp = await seedMspDirectly({ mspName: "Audit MSP" });
  const ctx = systemContext(msp.mspId, "test.audit");
  for (let i = 1; i <= n; i++) {
    await withMspTx(msp.mspId, (tx) =>
      recordAudit(tx, ctx, { action: "test.event", target: { type: "thing", id: `t${i}`, label: `Thing ${i}` }, metadata: { i, nested: { b: 2, a: [1, "x"] } } }),
    );
  }
  return msp;
}

async function chainOf(mspId: string) {
  return systemTxBypassingRls((tx) => tx.select().from(auditEvents).where(eq(auditEvents.mspId, mspId)).orderBy(asc(auditEvents.seq)));
}

function expectLinear(rows: Awaited<ReturnType<typeof chainOf>>) {
  expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
  expect(rows[0]?.prevHash).toBe(GENESIS_HASH);
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
  expect(new Set(rows.map((r) => r.hash)).size).toBe(rows.length);
}

describe("audit hash chain", () => {
  it("events chain per MSP: seq 1..n, each prev_hash is the previous hash", async () => {
    const msp = await mspWithEvents(6);
    const rows = await chainOf(msp.mspId);
    expect(rows).toHaveLength(6);
    expectLinear(rows);
    expect(rows[2]).toMatchObject({ actorType: "system", actorId: "test.audit", actorLabel: "job test.audit", action: "test.event", result: "success" });
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.hash))).toBe(true);
    // Another MSP's chain is independent and starts at 1.
    const other = await mspWithEvents(1);
    expect((await chainOf(other.mspId)).map((r) => r.seq)).toEqual([1]);
  });

  it("verifyAuditChain accepts an untouched chain, and the verdict can be recorded", async () => {
    const msp = await mspWithEvents(5);
    expect(await verifyAuditChain(msp.mspId)).toEqual({ ok: true, eventsChecked: 5, checkpointsChecked: 0, firstBrokenSeq: null, detail: null });
    const check = await verifyAndRecordAuditChain(systemContext(msp.mspId, "audit.verify"));
    expect(check).toMatchObject({ mspId: msp.mspId, ok: true, eventsChecked: 5 });
    const [stored] = await systemTxBypassingRls((tx) => tx.select().from(auditChainChecks).where(eq(auditChainChecks.id, check.id)));
    expect(stored).toBeDefined();
  });

  it("an MSP with no events verifies as an empty, intact chain", async () => {
    const msp = await seedMspDirectly();
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: true, eventsChecked: 0 });
  });

  it("tampering with one row's payload is reported at that row", async () => {
    const msp = await mspWithEvents(6);
    await su`update audit_events set metadata = ${su.json({ i: 999 })} where msp_id = ${msp.mspId} and seq = 4`;
    const verdict = await verifyAuditChain(msp.mspId);
    expect(verdict).toMatchObject({ ok: false, firstBrokenSeq: 4, eventsChecked: 3 });
    expect(verdict.detail).toMatch(/altered/);
    const check = await verifyAndRecordAuditChain(systemContext(msp.mspId, "audit.verify"));
    expect(check).toMatchObject({ ok: false, firstBrokenSeq: 4 });
  });

  it.each([
    ["the actor", "actor_label = 'someone else'"],
    ["the result", "result = 'failure'"],
    ["the time", "occurred_at = occurred_at - interval '1 second'"],
    ["the action", "action = 'test.other'"],
  ])("tampering with %s is reported too", async (_what, assignment) => {
    const msp = await mspWithEvents(3);
    await su.unsafe(`update audit_events set ${assignment} where msp_id = $1 and seq = 2`, [msp.mspId]);
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });

  it("re-hashing a tampered row does not help: the next row no longer links to it", async () => {
    const msp = await mspWithEvents(4);
    await su`update audit_events set hash = ${"f".repeat(64)} where msp_id = ${msp.mspId} and seq = 2`;
    const verdict = await verifyAuditChain(msp.mspId);
    // Row 2's own hash no longer matches its content; were it recomputed, row 3 would not link.
    expect(verdict).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });

  it("deleting a row is reported as a gap", async () => {
    const msp = await mspWithEvents(6);
    await su`delete from audit_events where msp_id = ${msp.mspId} and seq = 3`;
    const verdict = await verifyAuditChain(msp.mspId);
    expect(verdict).toMatchObject({ ok: false, firstBrokenSeq: 3, eventsChecked: 2 });
    expect(verdict.detail).toMatch(/missing/);
  });

  it("deleting the first row is reported", async () => {
    const msp = await mspWithEvents(3);
    await su`delete from audit_events where msp_id = ${msp.mspId} and seq = 1`;
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: false, firstBrokenSeq: 1 });
  });

  it("swapping two rows' order is reported", async () => {
    const msp = await mspWithEvents(4);
    await su.begin(async (tx) => {
      await tx`update audit_events set seq = -2 where msp_id = ${msp.mspId} and seq = 2`;
      await tx`update audit_events set seq = 2 where msp_id = ${msp.mspId} and seq = 3`;
      await tx`update audit_events set seq = 3 where msp_id = ${msp.mspId} and seq = -2`;
    });
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });

  it("verifies chains longer than one read batch, and finds tampering past the first batch", async () => {
    const msp = await seedMspDirectly();
    const ctx = systemContext(msp.mspId, "test.bulk");
    await withMspTx(msp.mspId, async (tx) => {
      for (let i = 1; i <= 1005; i++) await recordAudit(tx, ctx, { action: "test.bulk", metadata: { i } });
    });
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: true, eventsChecked: 1005 });
    await su`update audit_events set metadata = ${su.json({ i: 0 })} where msp_id = ${msp.mspId} and seq = 1003`;
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: false, firstBrokenSeq: 1003, eventsChecked: 1002 });
  });

  it("50 concurrent recordAudit calls make one linear chain with no duplicate seq", async () => {
    const msp = await mspWithEvents(1);
    const ctx = systemContext(msp.mspId, "test.concurrent");
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => withMspTx(msp.mspId, (tx) => recordAudit(tx, ctx, { action: "test.concurrent", metadata: { writer: i } }))),
    );
    const rows = await chainOf(msp.mspId);
    expect(rows).toHaveLength(51);
    expectLinear(rows);
    const writers = rows.filter((r) => r.action === "test.concurrent").map((r) => (r.metadata as { writer: number }).writer);
    expect(writers.sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: true, eventsChecked: 51 });
  });

  it("an event rolled back with its transaction leaves no trace and no gap", async () => {
    const msp = await mspWithEvents(2);
    const ctx = systemContext(msp.mspId, "test.rollback");
    await expect(
      withMspTx(msp.mspId, async (tx) => {
        await recordAudit(tx, ctx, { action: "test.rolled_back" });
        throw new Error("change failed");
      }),
    ).rejects.toThrow("change failed");
    await withMspTx(msp.mspId, (tx) => recordAudit(tx, ctx, { action: "test.after" }));
    const rows = await chainOf(msp.mspId);
    expect(rows.map((r) => r.action)).toEqual(["test.event", "test.event", "test.after"]);
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: true, eventsChecked: 3 });
  });

  it("user-controlled text with quotes, newlines and unicode round-trips and still verifies", async () => {
    const msp = await seedMspDirectly();
    const ctx: ServiceContext = {
      mspId: msp.mspId,
      actor: { type: "anonymous", label: 'Eve "\\" \n\r\t <script> 🔑 \u2028' },
      request: { ip: "2001:db8::1", userAgent: 'UA\n{"injected":true}' },
      steppedUpAt: null,
    };
    await withMspTx(msp.mspId, (tx) =>
      recordAudit(tx, ctx, {
        action: "test.injection",
        result: "failure",
        reason: "line1\nline2",
        target: { type: "x", id: "y", label: "=cmd|' /C calc'!A0" },
        metadata: { z: 1, a: { "k\"ey": [null, true, 1.5, "é"] }, empty: {} },
      }),
    );
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: true, eventsChecked: 1 });
  });

  it("audit reads are scoped to the MSP", async () => {
    const mine = await mspWithEvents(2);
    const theirs = await mspWithEvents(3);
    const rows = await listAuditEvents(contextFor(mine.owner), {});
    expect(rows.every((r) => r.mspId === mine.mspId)).toBe(true);
    expect(rows.map((r) => r.seq)).toEqual([2, 1]);
    expect(theirs.mspId).not.toBe(mine.mspId);
  });

  describe("canaries: secrets never reach the audit log", () => {
    async function occurrences(secret: string): Promise<number> {
      const [row] = await su<{ n: number }[]>`select count(*)::int as n from audit_events a where strpos(a::text, ${secret}) > 0`;
      return row!.n;
    }

    it("session tokens (sign-in, invite acceptance, step-up), invite tokens, flow tokens and challenges", async () => {
      const msp = await seedMspDirectly({ mspName: "Canary MSP" });
      const secrets: string[] = [msp.owner.session.token];

      const { link } = await createInvite(contextFor(msp.owner, { stepUp: "fresh" }), { email: uniqueEmail("canary"), displayName: "Canary", role: "admin" });
      secrets.push(inviteTokenOf(link), link);
      const joined = await acceptInviteLink(link, new SoftAuthenticator());
      secrets.push(joined.session.token);

      const signedIn = await signIn(msp.owner.authenticator);
      secrets.push(signedIn.token);
      const rotated = await stepUp(msp.owner, contextFor(msp.owner, { sessionId: signedIn.sessionId }));
      secrets.push(rotated.token);

      // A failed sign-in writes a failure event: its challenge and flow token must not be in it.
      const flow = newFlowToken();
      const options = await startSignIn(flow);
      await expect(completeSignIn(msp.owner.authenticator.authenticate(options, { origin: "https://evil.example" }), flow, testRequest)).rejects.toThrow();
      secrets.push(flow, options.challenge);

      const events = await chainOf(msp.mspId);
      expect(events.some((e) => e.result === "failure")).toBe(true);
      expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(["member.invited", "member.joined", "auth.signed_in", "auth.step_up"]));
      for (const secret of secrets) expect(await occurrences(secret), `secret found: ${secret.slice(0, 6)}…`).toBe(0);
    });
  });
});
