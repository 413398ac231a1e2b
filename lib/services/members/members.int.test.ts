import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { auditEvents, members } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { randomBase62 } from "@/lib/ids";
import { systemContext } from "@/lib/services/context";
import { resolveSession } from "@/lib/services/sessions/resolve";
import {
  contextFor,
  expectAppError,
  inviteMember,
  seedMspDirectly,
  superuserSql,
  type TestMember,
  type TestMsp,
} from "@/test/factories";
import { expectValidation } from "@/test/expect";
import { changeMemberRole } from "./change-role";
import { disableMember } from "./disable";
import { enableMember } from "./enable";
import { listMembers } from "./list";
import { listDelegators } from "./list-delegators";

afterAll(closeDb);

let msp: TestMsp;
let admin: TestMember;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Members MSP" });
  admin = await inviteMember(msp.owner, "admin");
});

const ownerCtx = (stepUp: "fresh" | "none" = "none") => contextFor(msp.owner, { stepUp });

async function memberRow(id: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(members).where(eq(members.id, id)));
  return row!;
}

async function activeOwners(mspId: string) {
  return systemTxBypassingRls((tx) =>
    tx.select().from(members).where(and(eq(members.mspId, mspId), eq(members.role, "owner"), eq(members.status, "active"))),
  );
}

describe("members", () => {
  it("lists the MSP's members with their passkey counts", async () => {
    const listed = await listMembers(ownerCtx());
    expect(listed.find((m) => m.id === msp.owner.id)).toMatchObject({ role: "owner", status: "active", passkeyCount: 1 });
    expect(listed.find((m) => m.id === admin.id)).toMatchObject({ role: "admin", passkeyCount: 1 });
    await expectAppError(listMembers(contextFor(await inviteMember(msp.owner, "technician"))), "forbidden");
  });

  it("any member reads who may delegate: the active owners and admins, by name only", async () => {
    const own = await seedMspDirectly({ mspName: "Delegators MSP" });
    const adminB = await inviteMember(own.owner, "admin", { displayName: "Bea Admin" });
    const adminA = await inviteMember(own.owner, "admin", { displayName: "Abe Admin" });
    const gone = await inviteMember(own.owner, "admin", { displayName: "Gone Admin" });
    await disableMember(contextFor(own.owner, { stepUp: "fresh" }), gone.id);
    const tech = await inviteMember(own.owner, "technician");
    await inviteMember(own.owner, "auditor");
    await seedMspDirectly({ mspName: "Delegators other MSP" });

    const listed = await listDelegators(contextFor(tech));
    expect(listed).toEqual([
      { id: own.owner.id, displayName: own.owner.displayName, role: "owner" },
      { id: adminA.id, displayName: "Abe Admin", role: "admin" },
      { id: adminB.id, displayName: "Bea Admin", role: "admin" },
    ]);
    await expectAppError(listDelegators(systemContext(own.mspId, "test")), "forbidden");
  });

  it("q finds members by name or e-mail, taking % and _ literally", async () => {
    const tag = randomBase62(8).toLowerCase();
    const byName = await inviteMember(msp.owner, "technician", { displayName: `Ada ${tag} Lovelace` });
    const byEmail = await inviteMember(msp.owner, "auditor", { email: `grace.${tag}@example.com` });
    const percent = await inviteMember(msp.owner, "technician", { displayName: `Half 50% ${tag}` });
    const underscore = await inviteMember(msp.owner, "technician", { email: `a_b.${tag}@example.com` });
    const found = async (q: string) => (await listMembers(ownerCtx(), { q })).map((m) => m.id).sort();

    expect(await found(tag.toUpperCase())).toEqual([byName.id, byEmail.id, percent.id, underscore.id].sort());
    expect(await found(`ada ${tag}`)).toEqual([byName.id]);
    expect(await found(`grace.${tag}@`)).toEqual([byEmail.id]);
    expect(await found(`% ${tag}`)).toEqual([percent.id]);
    expect(await found(`a_b.${tag}`)).toEqual([underscore.id]);
    expect(await found(`_.${tag}`)).toEqual([]);
    expect(await listMembers(contextFor((await seedMspDirectly({ mspName: "Members other MSP" })).owner), { q: tag })).toEqual([]);
    await expectValidation(listMembers(ownerCtx(), { q: "x".repeat(201) }), "q");
  });

  it("a role change takes effect and is audited with from/to", async () => {
    const tech = await inviteMember(msp.owner, "technician");
    await expectAppError(changeMemberRole(contextFor(admin), tech.id, { role: "auditor" }), "step_up_required");
    await expectAppError(changeMemberRole(contextFor(admin, { stepUp: "stale" }), tech.id, { role: "auditor" }), "step_up_required");
    expect((await memberRow(tech.id)).role).toBe("technician");
    await changeMemberRole(contextFor(admin, { stepUp: "fresh" }), tech.id, { role: "auditor" });
    expect((await memberRow(tech.id)).role).toBe("auditor");
    expect((await resolveSession(tech.session.token))!.member.role).toBe("auditor");
    const [event] = await systemTxBypassingRls((tx) =>
      tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, "member.role_changed"), eq(auditEvents.targetId, tech.id)))
        .orderBy(desc(auditEvents.seq))
        .limit(1),
    );
    expect(event).toMatchObject({ actorId: admin.id, result: "success", metadata: { from: "technician", to: "auditor" } });
  });

  it("nobody can change their own role or status", async () => {
    await expectAppError(changeMemberRole(ownerCtx("fresh"), msp.owner.id, { role: "admin" }), "forbidden");
    await expectAppError(changeMemberRole(contextFor(admin, { stepUp: "fresh" }), admin.id, { role: "technician" }), "forbidden");
    await expectAppError(disableMember(ownerCtx("fresh"), msp.owner.id), "forbidden");
    expect(await memberRow(msp.owner.id)).toMatchObject({ role: "owner", status: "active" });
  });

  it("admins cannot make owners nor manage owners", async () => {
    const tech = await inviteMember(msp.owner, "technician");
    await expectAppError(changeMemberRole(contextFor(admin), tech.id, { role: "owner" }), "forbidden");
    await expectAppError(changeMemberRole(contextFor(admin, { stepUp: "fresh" }), msp.owner.id, { role: "admin" }), "forbidden");
    await expectAppError(disableMember(contextFor(admin, { stepUp: "fresh" }), msp.owner.id), "forbidden");
    expect((await memberRow(tech.id)).role).toBe("technician");
  });

  it("technicians and auditors cannot manage members", async () => {
    const tech = await inviteMember(msp.owner, "technician");
    const auditor = await inviteMember(msp.owner, "auditor");
    await expectAppError(changeMemberRole(contextFor(tech), auditor.id, { role: "technician" }), "forbidden");
    await expectAppError(disableMember(contextFor(auditor, { stepUp: "fresh" }), tech.id), "forbidden");
  });

  it("members of another MSP are not found", async () => {
    const other = await seedMspDirectly({ mspName: "Members Other MSP" });
    await expectAppError(changeMemberRole(contextFor(other.owner, { stepUp: "fresh" }), admin.id, { role: "technician" }), "not_found");
    await expectAppError(disableMember(contextFor(other.owner, { stepUp: "fresh" }), admin.id), "not_found");
    await expectAppError(enableMember(contextFor(other.owner, { stepUp: "fresh" }), admin.id), "not_found");
    expect(await memberRow(admin.id)).toMatchObject({ role: "admin", status: "active" });
  });

  it("system context is refused where a member must act", async () => {
    await expectAppError(changeMemberRole(systemContext(msp.mspId, "test"), admin.id, { role: "technician" }), "forbidden");
  });

  it("disable and enable are audited", async () => {
    const tech = await inviteMember(msp.owner, "technician");
    await disableMember(contextFor(admin, { stepUp: "fresh" }), tech.id);
    expect(await memberRow(tech.id)).toMatchObject({ status: "disabled", disabledAt: expect.any(Date) });
    await expectAppError(enableMember(contextFor(admin), tech.id), "step_up_required");
    await expectAppError(enableMember(contextFor(admin, { stepUp: "stale" }), tech.id), "step_up_required");
    expect(await memberRow(tech.id)).toMatchObject({ status: "disabled" });
    await enableMember(contextFor(admin, { stepUp: "fresh" }), tech.id);
    expect(await memberRow(tech.id)).toMatchObject({ status: "active", disabledAt: null });
    const actions = await systemTxBypassingRls((tx) =>
      tx.select({ action: auditEvents.action, metadata: auditEvents.metadata }).from(auditEvents).where(eq(auditEvents.targetId, tech.id)),
    );
    expect(actions).toContainEqual({ action: "member.disabled", metadata: { sessionsEnded: 1, tokensRevoked: 0, invitesRevoked: 0, grantsEnded: 0 } });
    expect(actions.map((a) => a.action)).toContain("member.enabled");
  });

  describe("the last active owner", () => {
    it("cannot be demoted or disabled by a co-owner who was demoted meanwhile (stale context)", async () => {
      const team = await seedMspDirectly({ mspName: "Two owners" });
      const second = await inviteMember(team.owner, "owner");
      const staleSecond = contextFor(second, { stepUp: "fresh" });
      // The first owner demotes the second; the second's open page still says "owner".
      await changeMemberRole(contextFor(team.owner, { stepUp: "fresh" }), second.id, { role: "admin" });
      await expectAppError(changeMemberRole(staleSecond, team.owner.id, { role: "admin" }), "conflict");
      await expectAppError(disableMember(staleSecond, team.owner.id), "conflict");
      expect(await activeOwners(team.mspId)).toHaveLength(1);
    });

    // Write skew: without a per-MSP lock, two owners demoting each other concurrently would both pass
    // the "an active owner remains" check under READ COMMITTED.
    it("survives two owners demoting each other at the same time", async () => {
      const team = await seedMspDirectly({ mspName: "Owner race" });
      const second = await inviteMember(team.owner, "owner");
      // Hold the MSP's audit lock so both transactions reach the point after their owner check before
      // either commits; then let them go. A correct service serialises the check, so at most one wins.
      const sql = superuserSql();
      const lockKey = `audit:${team.mspId}`;
      try {
        await sql`select pg_advisory_lock(hashtextextended(${lockKey}, 0))`;
        const both = Promise.allSettled([
          changeMemberRole(contextFor(team.owner, { stepUp: "fresh" }), second.id, { role: "admin" }),
          changeMemberRole(contextFor(second, { stepUp: "fresh" }), team.owner.id, { role: "admin" }),
        ]);
        await waitForLockWaiters(sql, 2, 3000);
        await sql`select pg_advisory_unlock(hashtextextended(${lockKey}, 0))`;
        const results = await both;
        expect(results.filter((r) => r.status === "fulfilled").length).toBeLessThanOrEqual(1);
      } finally {
        await sql.end();
      }
      expect((await activeOwners(team.mspId)).length).toBeGreaterThanOrEqual(1);
    });
  });
});

/** Waits until `count` backends wait for an advisory lock (or the timeout passes). */
async function waitForLockWaiters(sql: ReturnType<typeof superuserSql>, count: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`;
    if (row!.n >= count) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
