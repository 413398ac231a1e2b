import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { entraConnections, orphanAccounts } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { newId } from "@/lib/ids";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { createCustomer } from "@/lib/services/customers/create";
import { createDelegation } from "@/lib/services/delegations/create";
import { contextFor, expectAppError, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { insertGrantWithExposure } from "@/test/grant-rows";
import { listAttention } from "./list-attention";
import { readExposure } from "./read-exposure";
import { readFirstRun } from "./read-first-run";

afterAll(closeDb);

const now = new Date("2026-03-31T12:00:00Z");
const at = (iso: string) => new Date(iso);

let msp: TestMsp;
let alice: TestMember;
let bob: TestMember;
let auditor: TestMember;
let contoso: string;
let fabrikam: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Overview MSP" });
  const other = await seedMspDirectly({ mspName: "Overview Other MSP" });
  alice = await inviteMember(msp.owner, "technician", { displayName: "Alice Tech" });
  bob = await inviteMember(msp.owner, "technician", { displayName: "Bob Tech" });
  auditor = await inviteMember(msp.owner, "auditor");
  contoso = (await createCustomer(contextFor(msp.owner), { name: "Contoso" })).id;
  fabrikam = (await createCustomer(contextFor(msp.owner), { name: "Fabrikam" })).id;
  const grant = (name: string, args: Omit<Parameters<typeof insertGrantWithExposure>[0], "mspId">) =>
    insertGrantWithExposure({ mspId: msp.mspId, ...args }).then((id) => (ids[name] = id));
  // 2 h on 30 March.
  await grant("ended", { customerId: contoso, memberId: alice.id, state: "ended", usableFrom: at("2026-03-30T10:00:00Z"), usableTo: at("2026-03-30T12:00:00Z") });
  // Live since 09:00: 3 h by noon.
  await grant("active", { customerId: fabrikam, memberId: alice.id, state: "active", usableFrom: at("2026-03-31T09:00:00Z"), endsAt: at("2026-03-31T13:00:00Z") });
  // Across midnight: 1 h on the 28th, 1.5 h on the 29th.
  await grant("overnight", { customerId: contoso, memberId: bob.id, state: "revoked", usableFrom: at("2026-03-28T23:00:00Z"), usableTo: at("2026-03-29T01:30:00Z") });
  // Began 2 h before the window opened (1 March, noon): only its last 2 h count, and it did not begin in the window.
  await grant("straddling", { customerId: contoso, memberId: bob.id, state: "ended", usableFrom: at("2026-03-01T10:00:00Z"), usableTo: at("2026-03-01T14:00:00Z") });
  // Never usable, and wholly before the window: neither counts.
  await grant("failed", { customerId: fabrikam, memberId: bob.id, state: "failed", usableFrom: null });
  await grant("old", { customerId: contoso, memberId: alice.id, state: "ended", usableFrom: at("2026-02-20T10:00:00Z"), usableTo: at("2026-02-20T18:00:00Z") });
  // Its removal could not be proven: live until now, 1 h.
  await grant("irrevocable", { customerId: fabrikam, memberId: bob.id, state: "irrevocable", usableFrom: at("2026-03-31T11:00:00Z") });
  // Another MSP's grant in the same hours.
  const otherCustomer = (await createCustomer(contextFor(other.owner), { name: "Other's customer" })).id;
  await insertGrantWithExposure({ mspId: other.mspId, customerId: otherCustomer, memberId: other.owner.id, state: "active", usableFrom: at("2026-03-31T00:00:00Z") });
});

describe("readExposure", () => {
  it("sums the hours each account was usable in the last 30 days, per customer, technician and day", async () => {
    const exposure = await readExposure(contextFor(msp.owner), { now });
    expect(exposure.totalHours).toBe(10.5);
    expect(exposure.byCustomer).toEqual([
      { customerId: contoso, customerName: "Contoso", hours: 6.5, grants: 3 },
      { customerId: fabrikam, customerName: "Fabrikam", hours: 4, grants: 2 },
    ]);
    expect(exposure.byTechnician).toEqual([
      { memberId: bob.id, memberName: "Bob Tech", hours: 5.5, grants: 3 },
      { memberId: alice.id, memberName: "Alice Tech", hours: 5, grants: 2 },
    ]);
    expect(exposure.perDay).toHaveLength(31);
    expect(exposure.perDay[0]).toEqual({ day: "2026-03-01", grants: 0, hours: 2 });
    const day = (d: string) => exposure.perDay.find((r) => r.day === d);
    expect(day("2026-03-28")).toEqual({ day: "2026-03-28", grants: 1, hours: 1 });
    expect(day("2026-03-29")).toEqual({ day: "2026-03-29", grants: 0, hours: 1.5 });
    expect(day("2026-03-30")).toEqual({ day: "2026-03-30", grants: 1, hours: 2 });
    expect(day("2026-03-31")).toEqual({ day: "2026-03-31", grants: 2, hours: 4 });
    expect(exposure.perDay.reduce((sum, r) => sum + r.hours, 0)).toBe(exposure.totalHours);
    expect(exposure.perDay.reduce((sum, r) => sum + r.grants, 0)).toBe(4);
  });

  it("counts days in the reader's time zone, a day the clocks jump being 23 hours", async () => {
    const exposure = await readExposure(contextFor(msp.owner), { now, timeZone: "Europe/Berlin" });
    const day = (d: string) => exposure.perDay.find((r) => r.day === d);
    // 23:00 UTC on the 28th is midnight in Berlin, and 01:30 UTC on the 29th is 03:30 after the jump: all on the 29th.
    expect(day("2026-03-28")).toEqual({ day: "2026-03-28", grants: 0, hours: 0 });
    expect(day("2026-03-29")).toEqual({ day: "2026-03-29", grants: 1, hours: 2.5 });
    expect(day("2026-03-30")).toEqual({ day: "2026-03-30", grants: 1, hours: 2 });
    expect(exposure.perDay.reduce((sum, r) => sum + r.hours, 0)).toBe(exposure.totalHours);
    expect(exposure.totalHours).toBe(10.5);
  });

  it("is the same for auditors and refused to technicians", async () => {
    expect(await readExposure(contextFor(auditor), { now })).toEqual(await readExposure(contextFor(msp.owner), { now }));
    await expectAppError(readExposure(contextFor(alice), { now }), "forbidden");
  });
});

describe("listAttention", () => {
  it("lists irrevocable and recently failed grants, unhealthy connections and orphans still enabled", async () => {
    await systemTxBypassingRls(async (tx) => {
      await tx.insert(entraConnections).values({
        id: newId("connection"), mspId: msp.mspId, customerId: contoso, cloud: "microsoft", status: "connected", tenantId: randomUUID(), tenantName: "Contoso",
        healthOk: false, healthDetail: "The consent was withdrawn", unhealthySince: now,
      });
      await tx.insert(orphanAccounts).values({ id: newId("orphan"), mspId: msp.mspId, customerId: fabrikam, entraUserId: randomUUID(), userPrincipalName: "stint-lost@fabrikam.example" });
    });
    const attention = await listAttention(contextFor(msp.owner));
    expect(attention.troubledGrants.map((g) => [g.id, g.state])).toEqual([
      [ids.irrevocable, "irrevocable"],
      [ids.failed, "failed"],
    ]);
    expect(attention.unhealthyConnections).toMatchObject([{ customerId: contoso, customerName: "Contoso", healthDetail: "The consent was withdrawn" }]);
    expect(attention.orphans).toMatchObject([{ customerName: "Fabrikam", userPrincipalName: "stint-lost@fabrikam.example", disabledAt: null }]);
    await expectAppError(listAttention(contextFor(bob)), "forbidden");
  });
});

describe("readFirstRun", () => {
  it("ticks each step from what exists, and names the customer to take the next step on", async () => {
    const fresh = await seedMspDirectly({ mspName: "First run MSP" });
    const ctx = contextFor(fresh.owner);
    expect(await readFirstRun(ctx)).toEqual({
      done: { customer: false, connection: false, accessLevel: false, enabled: false, delegation: false, invite: false, request: false },
      customerToConnect: null,
      customerToEnable: null,
    });
    const customer = (await createCustomer(ctx, { name: "First customer" })).id;
    expect(await readFirstRun(ctx)).toMatchObject({ done: { customer: true, connection: false }, customerToConnect: customer, customerToEnable: customer });
    await systemTxBypassingRls((tx) =>
      tx.insert(entraConnections).values({ id: newId("connection"), mspId: fresh.mspId, customerId: customer, cloud: "microsoft", status: "connected", tenantId: randomUUID(), tenantName: "First" }),
    );
    const level = await createAccessLevel(ctx, { name: "Helpdesk", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"] });
    expect(await readFirstRun(ctx)).toMatchObject({ done: { connection: true, accessLevel: true, enabled: false }, customerToConnect: null, customerToEnable: customer });
    await setAccessLevelForCustomer(ctx, customer, level.id, { enabled: true });
    const tech = await inviteMember(fresh.owner, "technician");
    await createDelegation(ctx, { memberId: tech.id, customerId: customer, accessLevelIds: [level.id], maxDurationMinutes: 60 });
    expect((await readFirstRun(ctx)).done).toEqual({ customer: true, connection: true, accessLevel: true, enabled: true, delegation: true, invite: true, request: false });
    await insertGrantWithExposure({ mspId: fresh.mspId, customerId: customer, memberId: tech.id, state: "failed", usableFrom: null });
    expect(Object.values((await readFirstRun(ctx)).done).every(Boolean)).toBe(true);
    // Another MSP's progress is its own, and only those who set Stint up see it.
    expect((await readFirstRun(contextFor(msp.owner))).done).toMatchObject({ request: true, enabled: false });
    await expectAppError(readFirstRun(contextFor(tech)), "forbidden");
    await expectAppError(readFirstRun(contextFor(auditor)), "forbidden");
  });
});
