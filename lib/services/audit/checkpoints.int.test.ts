import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { asc, eq } from "drizzle-orm";
import type postgres from "postgres";
import { auditCheckpoints, auditEvents } from "@/db/schema";
import { closeDb } from "@/db/client";
import { withMspTx, systemTxBypassingRls } from "@/db/tx";
import { runJob } from "@/jobs/registry";
import { systemContext } from "@/lib/services/context";
import { seedMspDirectly, superuserSql } from "@/test/factories";
import { GENESIS_HASH, chainHash } from "./canonical";
import { checkpointMac } from "./checkpoint-mac";
import { recordAudit } from "./record";
import { sealAuditCheckpoint } from "./seal-checkpoint";
import { verifyAuditChain } from "./verify-chain";

let su: postgres.Sql;
beforeAll(() => {
  su = superuserSql();
});
afterAll(async () => {
  await su.end();
  await closeDb();
});

async function addEvents(mspId: string, n: number, label = "test.event") {
  const ctx = systemContext(mspId, "test.checkpoints");
  for (let i = 0; i < n; i++) await withMspTx(mspId, (tx) => recordAudit(tx, ctx, { action: label, metadata: { i } }));
}

async function mspWithEvents(n: number) {
  const msp = await seedMspDirectly({ mspName: "Checkpoint MSP" });
  await addEvents(msp.mspId, n);
  return msp;
}

async function checkpointsOf(mspId: string) {
  return systemTxBypassingRls((tx) => tx.select().from(auditCheckpoints).where(eq(auditCheckpoints.mspId, mspId)).orderBy(asc(auditCheckpoints.n)));
}

async function sealed(mspId: string) {
  const outcome = await sealAuditCheckpoint(systemContext(mspId, "audit.checkpoint"));
  if (!outcome.ok || !outcome.checkpoint) throw new Error(`expected a new checkpoint, got ${JSON.stringify(outcome)}`);
  return outcome.checkpoint;
}

/**
 * What someone with the database owner's rights (but not the server's keys) can do: rewrite every event
 * from `fromSeq` on with new content and a consistent hash chain, so the chain alone verifies.
 */
async function rewriteChainFrom(mspId: string, fromSeq: number) {
  await su.begin(async (tx) => {
    const rows = await tx<{ seq: number }[]>`select seq from audit_events where msp_id = ${mspId} and seq >= ${fromSeq} order by seq`;
    for (const { seq } of rows) await tx`update audit_events set reason = 'altered by the owner' where msp_id = ${mspId} and seq = ${seq}`;
  });
  const events = await systemTxBypassingRls((tx) => tx.select().from(auditEvents).where(eq(auditEvents.mspId, mspId)).orderBy(asc(auditEvents.seq)));
  let prev = GENESIS_HASH;
  for (const event of events) {
    const { id, hash: _hash, prevHash: _prevHash, ...fields } = event;
    const hash = chainHash(prev, fields);
    await su`update audit_events set prev_hash = ${prev}, hash = ${hash} where id = ${id}`;
    prev = hash;
  }
}

describe("audit chain checkpoints", () => {
  it("seal the head with a chained seal, skip when nothing was added, and the verifier counts them", async () => {
    const msp = await mspWithEvents(3);
    const first = await sealed(msp.mspId);
    expect(first).toMatchObject({ n: 1, seq: 3, prevMac: GENESIS_HASH });
    expect(first.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(await sealAuditCheckpoint(systemContext(msp.mspId, "audit.checkpoint"))).toEqual({ ok: true, checkpoint: null });

    await addEvents(msp.mspId, 2);
    const second = await sealed(msp.mspId);
    expect(second).toMatchObject({ n: 2, seq: 5, prevMac: first.mac });
    expect(await verifyAuditChain(msp.mspId)).toEqual({ ok: true, eventsChecked: 5, checkpointsChecked: 2, firstBrokenSeq: null, detail: null });
  });

  it("an MSP without events gets no checkpoint", async () => {
    const msp = await seedMspDirectly();
    expect(await sealAuditCheckpoint(systemContext(msp.mspId, "audit.checkpoint"))).toEqual({ ok: true, checkpoint: null });
  });

  it("deleting the chain's tail is found: the chain falls short of the sealed head", async () => {
    const msp = await mspWithEvents(6);
    await sealed(msp.mspId);
    await su`delete from audit_events where msp_id = ${msp.mspId} and seq > 4`;
    const verdict = await verifyAuditChain(msp.mspId);
    expect(verdict).toMatchObject({ ok: false, eventsChecked: 4, firstBrokenSeq: 5 });
    expect(verdict.detail).toMatch(/ends at event 4, but checkpoint 1 sealed it at event 6.*deleted from its end/);
  });

  it("deleting every event is found", async () => {
    const msp = await mspWithEvents(2);
    await sealed(msp.mspId);
    await su`delete from audit_events where msp_id = ${msp.mspId}`;
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: false, firstBrokenSeq: 1 });
  });

  it("a whole-chain rewrite with consistent hashes verifies without checkpoints, and is found with them", async () => {
    const unsealed = await mspWithEvents(4);
    await rewriteChainFrom(unsealed.mspId, 1);
    expect(await verifyAuditChain(unsealed.mspId)).toMatchObject({ ok: true, checkpointsChecked: 0 });

    const msp = await mspWithEvents(4);
    await sealed(msp.mspId);
    await addEvents(msp.mspId, 2);
    await rewriteChainFrom(msp.mspId, 2);
    const verdict = await verifyAuditChain(msp.mspId);
    expect(verdict).toMatchObject({ ok: false, firstBrokenSeq: 4 });
    expect(verdict.detail).toMatch(/not the event a checkpoint sealed/);
  });

  it("rewriting only the events after the newest checkpoint is found by the next seal, which refuses to vouch for them", async () => {
    const msp = await mspWithEvents(3);
    await sealed(msp.mspId);
    await addEvents(msp.mspId, 2);
    await su`update audit_events set reason = 'altered by the owner' where msp_id = ${msp.mspId} and seq = 5`;
    const outcome = await sealAuditCheckpoint(systemContext(msp.mspId, "audit.checkpoint"));
    expect(outcome).toMatchObject({ ok: false, verdict: { firstBrokenSeq: 5 } });
    expect(await checkpointsOf(msp.mspId)).toHaveLength(1);
  });

  it("a forged checkpoint (no server key) is found, and so is a checkpoint moved from another MSP", async () => {
    const msp = await mspWithEvents(4);
    await sealed(msp.mspId);
    await rewriteChainFrom(msp.mspId, 1);
    const [event4] = await su<{ hash: string }[]>`select hash from audit_events where msp_id = ${msp.mspId} and seq = 4`;
    // The owner rewrites the checkpoint to match, but can only guess at its seal.
    await su`update audit_checkpoints set hash = ${event4!.hash}, mac = ${"ab".repeat(32)} where msp_id = ${msp.mspId}`;
    const forged = await verifyAuditChain(msp.mspId);
    expect(forged).toMatchObject({ ok: false, checkpointsChecked: 0 });
    expect(forged.detail).toMatch(/checkpoint 1 does not carry a valid seal/);

    const other = await mspWithEvents(4);
    const theirs = await sealed(other.mspId);
    const ours = (await checkpointsOf(msp.mspId))[0]!;
    await su`update audit_checkpoints set seq = ${theirs.seq}, hash = ${theirs.hash}, sealed_at = ${theirs.sealedAt}, prev_mac = ${theirs.prevMac}, mac = ${theirs.mac} where id = ${ours.id}`;
    expect((await verifyAuditChain(msp.mspId)).detail).toMatch(/does not carry a valid seal/);
  });

  it("a removed checkpoint in the middle is found by the gap in their numbers and seals", async () => {
    const msp = await mspWithEvents(1);
    for (let i = 0; i < 3; i++) {
      await sealed(msp.mspId);
      await addEvents(msp.mspId, 1);
    }
    await su`delete from audit_checkpoints where msp_id = ${msp.mspId} and n = 2`;
    const verdict = await verifyAuditChain(msp.mspId);
    expect(verdict).toMatchObject({ ok: false, checkpointsChecked: 1 });
    expect(verdict.detail).toMatch(/checkpoint 2 is missing/);
  });

  it("the seal covers every field: a checkpoint renumbered or re-dated no longer verifies", async () => {
    const msp = await mspWithEvents(2);
    const cp = await sealed(msp.mspId);
    expect(checkpointMac({ ...cp, sealedAt: new Date(cp.sealedAt.getTime() + 1) })).not.toBe(cp.mac);
    expect(checkpointMac({ ...cp, n: 2 })).not.toBe(cp.mac);
    expect(checkpointMac({ ...cp, seq: 1 })).not.toBe(cp.mac);
    await su`update audit_checkpoints set sealed_at = sealed_at + interval '1 second' where id = ${cp.id}`;
    expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: false });
  });

  it("the scheduled job seals every MSP and raises a break it finds once, not at every run", async () => {
    const msp = await mspWithEvents(2);
    const first = (await runJob({ name: "audit.checkpoint", data: { mspId: msp.mspId } })) as { sealed: number; broken: number };
    expect(first).toEqual({ checked: 1, sealed: 1, broken: 0 });
    await addEvents(msp.mspId, 1);
    await su`update audit_events set reason = 'altered by the owner' where msp_id = ${msp.mspId} and seq = 3`;
    expect(await runJob({ name: "audit.checkpoint", data: { mspId: msp.mspId } })).toEqual({ checked: 1, sealed: 0, broken: 1 });
    expect(await runJob({ name: "audit.checkpoint", data: { mspId: msp.mspId } })).toEqual({ checked: 1, sealed: 0, broken: 1 });
    const alarms = await su<{ reason: string }[]>`select reason from audit_events where msp_id = ${msp.mspId} and action = 'audit.chain_broken'`;
    expect(alarms).toHaveLength(1);
    expect(alarms[0]!.reason).toMatch(/event 3 was altered/);
    const checks = await su<{ ok: boolean }[]>`select ok from audit_chain_checks where msp_id = ${msp.mspId}`;
    expect(checks.map((c) => c.ok)).toEqual([false, false]);
  });
});
