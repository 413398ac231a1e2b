import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, desc, eq } from "drizzle-orm";
import { auditEvents, delegations, teamMembers, teams } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { toErrorBody } from "@/lib/errors";
import { newId, randomBase62 } from "@/lib/ids";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { setCustomerArchived } from "@/lib/services/customers/archive";
import { createCustomer } from "@/lib/services/customers/create";
import { getCustomer } from "@/lib/services/customers/get";
import { listCustomers } from "@/lib/services/customers/list";
import { updateCustomerSettings } from "@/lib/services/customers/update-settings";
import { createTeam } from "@/lib/services/teams/create";
import { listTeams } from "@/lib/services/teams/list";
import { removeTeam } from "@/lib/services/teams/remove";
import { setTeamMembership } from "@/lib/services/teams/set-membership";
import { contextFor, expectAppError, inviteMember, seedMspDirectly, type TestMember, type TestMsp } from "@/test/factories";
import { expectValidation } from "@/test/expect";
import { createDelegation } from "./create";
import { listDelegations } from "./list";
import { getMyAccessOnCustomer } from "./my-access";
import { removeDelegation } from "./remove";

afterAll(closeDb);

const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";

let msp: TestMsp;
let other: TestMsp;
let admin: TestMember;
let auditor: TestMember;
let otherTechnician: TestMember;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Delegations MSP" });
  other = await seedMspDirectly({ mspName: "Delegations other MSP" });
  admin = await inviteMember(msp.owner, "admin");
  auditor = await inviteMember(msp.owner, "auditor");
  otherTechnician = await inviteMember(other.owner, "technician");
});

const ownerCtx = () => contextFor(msp.owner);
const uniqueName = (label: string) => `${label} ${randomBase62(6)}`;
const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
const newTechnician = () => inviteMember(msp.owner, "technician");
const newCustomer = async (label: string, ctx = ownerCtx()) => createCustomer(ctx, { name: uniqueName(label) });
const newLevel = async (label: string, ctx = ownerCtx()) => createAccessLevel(ctx, { name: uniqueName(label), roleTemplateIds: [USER_ADMINISTRATOR] });

/** Rejected in any of the given ways (the service may say "not found" or "invalid"), never resolved. */
async function expectRefused(promise: Promise<unknown>, codes: ("not_found" | "validation_failed" | "forbidden")[]) {
  const error = await promise.then(
    () => {
      throw new Error(`expected one of ${codes.join(", ")}, but it resolved`);
    },
    (e: unknown) => e,
  );
  const { body } = toErrorBody(error);
  expect(codes, body.error.message).toContain(body.error.code);
}

async function enable(customerId: string, ...levelIds: string[]) {
  for (const id of levelIds) await setAccessLevelForCustomer(ownerCtx(), customerId, id, { enabled: true });
}

async function delegationCount(mspId: string) {
  const rows = await systemTxBypassingRls((tx) => tx.select({ id: delegations.id }).from(delegations).where(eq(delegations.mspId, mspId)));
  return rows.length;
}

describe("visibility: who sees which customer", () => {
  let a: Awaited<ReturnType<typeof newCustomer>>;
  let b: Awaited<ReturnType<typeof newCustomer>>;
  let level: Awaited<ReturnType<typeof newLevel>>;
  beforeAll(async () => {
    a = await newCustomer("Visibility A");
    b = await newCustomer("Visibility B");
    level = await newLevel("Visibility level");
    await enable(a.id, level.id);
    await enable(b.id, level.id);
  });

  it("a technician without any delegation sees no customer and cannot read one by id", async () => {
    const tech = await newTechnician();
    expect(await listCustomers(contextFor(tech))).toEqual([]);
    expect(await listCustomers(contextFor(tech), { includeArchived: true })).toEqual([]);
    await expectAppError(getCustomer(contextFor(tech), a.id), "not_found");
    await expectAppError(getMyAccessOnCustomer(contextFor(tech), a.id), "not_found");
  });

  it("a direct delegation on A shows exactly A, not B", async () => {
    const tech = await newTechnician();
    const bystander = await newTechnician();
    const { id } = await createDelegation(contextFor(admin), { memberId: tech.id, customerId: a.id, accessLevelIds: [level.id], maxDurationMinutes: 60 });
    expect(id).toMatch(/^dlg_/);
    expect(ids(await listCustomers(contextFor(tech)))).toEqual([a.id]);
    expect((await getCustomer(contextFor(tech), a.id)).customer.id).toBe(a.id);
    await expectAppError(getCustomer(contextFor(tech), b.id), "not_found");
    expect(await listCustomers(contextFor(bystander))).toEqual([]);

    const [event] = await systemTxBypassingRls((tx) =>
      tx.select().from(auditEvents).where(and(eq(auditEvents.action, "delegation.created"), eq(auditEvents.targetId, id))).orderBy(desc(auditEvents.seq)).limit(1),
    );
    expect(event).toMatchObject({ actorId: admin.id, metadata: { customerId: a.id, accessLevelIds: [level.id], maxDurationMinutes: 60 } });

    await removeDelegation(contextFor(admin), id);
    expect(await listCustomers(contextFor(tech))).toEqual([]);
    await expectAppError(getCustomer(contextFor(tech), a.id), "not_found");
    await expectAppError(removeDelegation(contextFor(admin), id), "not_found");
  });

  it("a team delegation shows the customer to team members only; leaving the team hides it at once", async () => {
    const inTeam = await newTechnician();
    const outside = await newTechnician();
    const team = await createTeam(ownerCtx(), { name: uniqueName("Team visibility") });
    await setTeamMembership(ownerCtx(), team.id, { memberId: inTeam.id, inTeam: true });
    await createDelegation(ownerCtx(), { teamId: team.id, customerId: b.id, accessLevelIds: [level.id], maxDurationMinutes: 60 });

    expect(ids(await listCustomers(contextFor(inTeam)))).toEqual([b.id]);
    expect((await getCustomer(contextFor(inTeam), b.id)).customer.id).toBe(b.id);
    expect(await listCustomers(contextFor(outside))).toEqual([]);
    await expectAppError(getCustomer(contextFor(outside), b.id), "not_found");

    await setTeamMembership(ownerCtx(), team.id, { memberId: inTeam.id, inTeam: false });
    expect(await listCustomers(contextFor(inTeam))).toEqual([]);
    await expectAppError(getCustomer(contextFor(inTeam), b.id), "not_found");

    // Back in, then the team is removed: its delegations go with it.
    await setTeamMembership(ownerCtx(), team.id, { memberId: inTeam.id, inTeam: true });
    expect(ids(await listCustomers(contextFor(inTeam)))).toEqual([b.id]);
    await removeTeam(ownerCtx(), team.id);
    expect(await listCustomers(contextFor(inTeam))).toEqual([]);
    expect((await listDelegations(ownerCtx())).some((d) => d.teamId === team.id)).toBe(false);
  });

  it("an all-customers delegation shows every active customer, but not archived ones", async () => {
    const tech = await newTechnician();
    const archived = await newCustomer("All-customers archived");
    await setCustomerArchived(ownerCtx(), archived.id, { archived: true });
    await createDelegation(ownerCtx(), { memberId: tech.id, customerId: null, accessLevelIds: [level.id], maxDurationMinutes: 60 });
    const later = await newCustomer("All-customers later");

    const active = (await listCustomers(ownerCtx())).map((c) => c.id).sort();
    const seen = ids(await listCustomers(contextFor(tech)));
    expect(seen).toEqual(active);
    expect(seen).toEqual(expect.arrayContaining([a.id, b.id, later.id]));
    expect(seen).not.toContain(archived.id);
    expect(ids(await listCustomers(contextFor(tech), { includeArchived: true }))).not.toContain(archived.id);
    await expectAppError(getCustomer(contextFor(tech), archived.id), "not_found");
    // Nothing of another MSP shows up through "all customers".
    const theirs = await newCustomer("All-customers other MSP", contextFor(other.owner));
    expect(ids(await listCustomers(contextFor(tech)))).not.toContain(theirs.id);
    await expectAppError(getCustomer(contextFor(tech), theirs.id), "not_found");
  });

  it("archiving a delegated customer hides it from the technician; restoring shows it again", async () => {
    const tech = await newTechnician();
    const c = await newCustomer("Archived delegated");
    await enable(c.id, level.id);
    await createDelegation(ownerCtx(), { memberId: tech.id, customerId: c.id, accessLevelIds: [level.id], maxDurationMinutes: 60 });
    expect(ids(await listCustomers(contextFor(tech)))).toEqual([c.id]);
    await setCustomerArchived(ownerCtx(), c.id, { archived: true });
    expect(await listCustomers(contextFor(tech), { includeArchived: true })).toEqual([]);
    await expectAppError(getCustomer(contextFor(tech), c.id), "not_found");
    await expectAppError(getMyAccessOnCustomer(contextFor(tech), c.id), "not_found");
    await setCustomerArchived(ownerCtx(), c.id, { archived: false });
    expect(ids(await listCustomers(contextFor(tech)))).toEqual([c.id]);
  });

  it("owners, admins and auditors see every customer without any delegation", async () => {
    const archived = await newCustomer("Seen by all, archived");
    await setCustomerArchived(ownerCtx(), archived.id, { archived: true });
    const everyone = ids(await listCustomers(ownerCtx(), { includeArchived: true }));
    expect(everyone).toEqual(expect.arrayContaining([a.id, b.id, archived.id]));
    for (const member of [msp.owner, admin, auditor]) {
      expect(ids(await listCustomers(contextFor(member), { includeArchived: true })), member.role).toEqual(everyone);
      expect((await getCustomer(contextFor(member), archived.id)).customer.id).toBe(archived.id);
      expect((await getCustomer(contextFor(member), a.id)).customer.id).toBe(a.id);
    }
  });
});

describe("getMyAccessOnCustomer", () => {
  it("returns only levels both delegated and enabled, with the longest applicable duration capped by the customer's maximum", async () => {
    const tech = await newTechnician();
    const customer = await newCustomer("My access");
    const elsewhere = await newCustomer("My access elsewhere");
    await updateCustomerSettings(ownerCtx(), customer.id, {
      upnDomain: null,
      namingTemplate: "jit-{grant}",
      defaultDurationMinutes: 60,
      maxDurationMinutes: 240,
      usageLocation: "US",
      expiryActions: ["remove_roles", "remove_tap", "disable"],
      consentText: null,
    });
    const direct = await newLevel("Direct");
    const viaTeam = await newLevel("Via team");
    const viaAll = await newLevel("Via all");
    const notEnabled = await newLevel("Not enabled");
    const notDelegated = await newLevel("Not delegated");
    const otherCustomerOnly = await newLevel("Other customer only");
    await enable(customer.id, direct.id, viaTeam.id, viaAll.id, notDelegated.id);
    await enable(elsewhere.id, otherCustomerOnly.id, notEnabled.id);
    await updateCustomerSettings(ownerCtx(), elsewhere.id, {
      upnDomain: null,
      namingTemplate: "jit-{grant}",
      defaultDurationMinutes: 60,
      maxDurationMinutes: 10080,
      usageLocation: "US",
      expiryActions: ["remove_roles", "remove_tap", "disable"],
      consentText: null,
    });
    const team = await createTeam(ownerCtx(), { name: uniqueName("My access team") });
    await setTeamMembership(ownerCtx(), team.id, { memberId: tech.id, inTeam: true });

    await createDelegation(ownerCtx(), { memberId: tech.id, customerId: customer.id, accessLevelIds: [direct.id, viaTeam.id], maxDurationMinutes: 60 });
    await createDelegation(ownerCtx(), { teamId: team.id, customerId: customer.id, accessLevelIds: [viaTeam.id], maxDurationMinutes: 120 });
    // All customers, longer than this customer allows: capped to 240.
    await createDelegation(ownerCtx(), { memberId: tech.id, customerId: null, accessLevelIds: [viaAll.id, notEnabled.id, direct.id], maxDurationMinutes: 600 });
    // On another customer only, long: must not leak into this customer.
    await createDelegation(ownerCtx(), { memberId: tech.id, customerId: elsewhere.id, accessLevelIds: [otherCustomerOnly.id], maxDurationMinutes: 1000 });

    const mine = await getMyAccessOnCustomer(contextFor(tech), customer.id);
    expect(mine.customer.id).toBe(customer.id);
    const byLevel = new Map(mine.accessLevels.map((l) => [l.accessLevelId, l]));
    expect([...byLevel.keys()].sort()).toEqual([direct.id, viaTeam.id, viaAll.id].sort());
    expect(byLevel.get(viaTeam.id)).toMatchObject({ name: viaTeam.name, roleTemplateIds: [USER_ADMINISTRATOR], maxDurationMinutes: 120 });
    // direct: max(60, 600) capped by 240.
    expect(byLevel.get(direct.id)!.maxDurationMinutes).toBe(240);
    expect(byLevel.get(viaAll.id)!.maxDurationMinutes).toBe(240);

    const there = await getMyAccessOnCustomer(contextFor(tech), elsewhere.id);
    expect(new Map(there.accessLevels.map((l) => [l.accessLevelId, l.maxDurationMinutes]))).toEqual(
      new Map([
        [otherCustomerOnly.id, 1000],
        [notEnabled.id, 600],
      ]),
    );

    // Disabling a level on the customer takes it out at once; leaving the team drops the team's duration.
    await setAccessLevelForCustomer(ownerCtx(), customer.id, viaAll.id, { enabled: false });
    await setTeamMembership(ownerCtx(), team.id, { memberId: tech.id, inTeam: false });
    const after = await getMyAccessOnCustomer(contextFor(tech), customer.id);
    expect(new Map(after.accessLevels.map((l) => [l.accessLevelId, l.maxDurationMinutes]))).toEqual(
      new Map([
        [direct.id, 240],
        [viaTeam.id, 60],
      ]),
    );

    // An owner sees the customer but has no delegation there: nothing to request.
    expect((await getMyAccessOnCustomer(ownerCtx(), customer.id)).accessLevels).toEqual([]);
  });
});

describe("delegating to oneself", () => {
  it("needs a fresh step-up, directly or through a team the actor is in; delegating to others does not", async () => {
    const customer = await newCustomer("Self");
    const level = await newLevel("Self level");
    await enable(customer.id, level.id);
    const input = { customerId: customer.id, accessLevelIds: [level.id], maxDurationMinutes: 60 };
    const adminCtx = (stepUp: "fresh" | "stale" | "none" = "none") => contextFor(admin, { stepUp });
    const before = await delegationCount(msp.mspId);
    await expectAppError(createDelegation(adminCtx(), { ...input, memberId: admin.id }), "step_up_required");
    await expectAppError(createDelegation(adminCtx("stale"), { ...input, memberId: admin.id }), "step_up_required");
    const own = await createTeam(ownerCtx(), { name: uniqueName("Admin's team") });
    await setTeamMembership(ownerCtx(), own.id, { memberId: admin.id, inTeam: true });
    await expectAppError(createDelegation(adminCtx(), { ...input, teamId: own.id }), "step_up_required");
    expect(await delegationCount(msp.mspId)).toBe(before);
    await createDelegation(adminCtx("fresh"), { ...input, memberId: admin.id });
    await createDelegation(adminCtx("fresh"), { ...input, teamId: own.id });
    // Someone else, or a team without the actor: no passkey needed.
    const elsewhere = await createTeam(ownerCtx(), { name: uniqueName("Not the admin's team") });
    await createDelegation(adminCtx(), { ...input, memberId: (await newTechnician()).id });
    await createDelegation(adminCtx(), { ...input, teamId: elsewhere.id });
    // Joining a team that holds delegations is delegating to oneself too; joining an empty-handed team is not.
    await expectAppError(setTeamMembership(adminCtx(), elsewhere.id, { memberId: admin.id, inTeam: true }), "step_up_required");
    await setTeamMembership(adminCtx("fresh"), elsewhere.id, { memberId: admin.id, inTeam: true });
    const bare = await createTeam(ownerCtx(), { name: uniqueName("No delegations") });
    await setTeamMembership(adminCtx(), bare.id, { memberId: admin.id, inTeam: true });
  });
});

describe("createDelegation refuses", () => {
  let tech: TestMember;
  let customer: Awaited<ReturnType<typeof newCustomer>>;
  let enabledLevel: Awaited<ReturnType<typeof newLevel>>;
  let disabledLevel: Awaited<ReturnType<typeof newLevel>>;
  let team: Awaited<ReturnType<typeof createTeam>>;
  beforeAll(async () => {
    tech = await newTechnician();
    customer = await newCustomer("Refusals");
    enabledLevel = await newLevel("Refusals enabled");
    disabledLevel = await newLevel("Refusals disabled");
    await enable(customer.id, enabledLevel.id);
    team = await createTeam(ownerCtx(), { name: uniqueName("Refusals team") });
  });
  const base = () => ({ memberId: tech.id, customerId: customer.id, accessLevelIds: [enabledLevel.id], maxDurationMinutes: 60 });

  it("levels not enabled on the customer (accessLevelIds)", async () => {
    const before = await delegationCount(msp.mspId);
    await expectValidation(createDelegation(ownerCtx(), { ...base(), accessLevelIds: [enabledLevel.id, disabledLevel.id] }), "accessLevelIds", new RegExp(disabledLevel.id));
    await expectValidation(createDelegation(ownerCtx(), { ...base(), accessLevelIds: [newId("accessLevel")] }), "accessLevelIds");
    await expectValidation(createDelegation(ownerCtx(), { ...base(), accessLevelIds: [] }), "accessLevelIds");
    expect(await delegationCount(msp.mspId)).toBe(before);
  });

  it("a duration above the customer's maximum (maxDurationMinutes)", async () => {
    await expectValidation(createDelegation(ownerCtx(), { ...base(), maxDurationMinutes: 481 }), "maxDurationMinutes", /480 minutes/);
    await expectValidation(createDelegation(ownerCtx(), { ...base(), maxDurationMinutes: 10 }), "maxDurationMinutes", /15 minutes/);
    await expectValidation(createDelegation(ownerCtx(), { ...base(), customerId: null, maxDurationMinutes: 10081 }), "maxDurationMinutes", /10080 minutes/);
    // Exactly the maximum is fine.
    await createDelegation(ownerCtx(), { ...base(), maxDurationMinutes: 480 });
  });

  it("both or neither of memberId and teamId", async () => {
    const before = await delegationCount(msp.mspId);
    await expectValidation(createDelegation(ownerCtx(), { ...base(), teamId: team.id }), "memberId", /exactly one/);
    await expectValidation(createDelegation(ownerCtx(), { ...base(), memberId: null }), "memberId", /exactly one/);
    await expectValidation(createDelegation(ownerCtx(), { customerId: customer.id, accessLevelIds: [enabledLevel.id], maxDurationMinutes: 60 }), "memberId");
    expect(await delegationCount(msp.mspId)).toBe(before);
  });

  it("a member, team, customer or access level of another MSP — never a success", async () => {
    const theirCustomer = await newCustomer("Foreign customer", contextFor(other.owner));
    const theirLevel = await newLevel("Foreign level", contextFor(other.owner));
    await setAccessLevelForCustomer(contextFor(other.owner), theirCustomer.id, theirLevel.id, { enabled: true });
    const theirTeam = await createTeam(contextFor(other.owner), { name: uniqueName("Foreign team") });
    const before = await delegationCount(msp.mspId);
    const beforeOther = await delegationCount(other.mspId);

    await expectRefused(createDelegation(ownerCtx(), { ...base(), memberId: otherTechnician.id }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(ownerCtx(), { ...base(), memberId: other.owner.id, customerId: null }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(ownerCtx(), { ...base(), memberId: null, teamId: theirTeam.id }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(ownerCtx(), { ...base(), customerId: theirCustomer.id }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(ownerCtx(), { ...base(), customerId: theirCustomer.id, accessLevelIds: [theirLevel.id] }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(ownerCtx(), { ...base(), accessLevelIds: [theirLevel.id] }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(ownerCtx(), { ...base(), customerId: null, accessLevelIds: [theirLevel.id] }), ["not_found", "validation_failed"]);
    // The other MSP's owner, with this MSP's ids.
    const intruder = contextFor(other.owner);
    await expectRefused(createDelegation(intruder, { ...base(), memberId: otherTechnician.id }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(intruder, { ...base(), memberId: otherTechnician.id, customerId: theirCustomer.id }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(intruder, { memberId: otherTechnician.id, customerId: null, accessLevelIds: [enabledLevel.id], maxDurationMinutes: 60 }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(intruder, { teamId: team.id, customerId: null, accessLevelIds: [theirLevel.id], maxDurationMinutes: 60 }), ["not_found", "validation_failed"]);
    await expectRefused(createDelegation(intruder, { memberId: tech.id, customerId: null, accessLevelIds: [theirLevel.id], maxDurationMinutes: 60 }), ["not_found", "validation_failed"]);

    expect(await delegationCount(msp.mspId)).toBe(before);
    expect(await delegationCount(other.mspId)).toBe(beforeOther);
    expect(await listCustomers(contextFor(otherTechnician))).toEqual([]);
  });

  it("technicians and auditors (forbidden)", async () => {
    const before = await delegationCount(msp.mspId);
    for (const member of [tech, auditor]) {
      await expectAppError(createDelegation(contextFor(member), { ...base(), memberId: member.id }), "forbidden");
      await expectAppError(createTeam(contextFor(member), { name: uniqueName("Nope") }), "forbidden");
      await expectAppError(setTeamMembership(contextFor(member), team.id, { memberId: member.id, inTeam: true }), "forbidden");
    }
    await expectAppError(listDelegations(contextFor(tech)), "forbidden");
    expect(await delegationCount(msp.mspId)).toBe(before);
    expect((await listTeams(ownerCtx())).find((t) => t.id === team.id)!.memberIds).toEqual([]);
  });
});

describe("delegations and teams: another MSP", () => {
  it("can never see or change this MSP's teams or delegations", async () => {
    const tech = await newTechnician();
    const customer = await newCustomer("Cross-MSP");
    const level = await newLevel("Cross-MSP level");
    await enable(customer.id, level.id);
    const team = await createTeam(ownerCtx(), { name: uniqueName("Cross-MSP team") });
    await setTeamMembership(ownerCtx(), team.id, { memberId: tech.id, inTeam: true });
    const direct = await createDelegation(ownerCtx(), { memberId: tech.id, customerId: customer.id, accessLevelIds: [level.id], maxDurationMinutes: 60 });
    const viaTeam = await createDelegation(ownerCtx(), { teamId: team.id, customerId: null, accessLevelIds: [level.id], maxDurationMinutes: 60 });

    const intruder = contextFor(other.owner);
    // The same team name is free in the other MSP.
    const theirTeam = await createTeam(intruder, { name: team.name });
    expect((await listTeams(intruder)).map((t) => t.id)).not.toContain(team.id);
    expect((await listTeams(intruder)).flatMap((t) => t.memberIds)).not.toContain(tech.id);
    expect((await listDelegations(intruder)).map((d) => d.id)).not.toContain(direct.id);
    expect(await listDelegations(intruder, { customerId: customer.id })).toEqual([]);
    expect(ids(await listCustomers(intruder, { includeArchived: true }))).not.toContain(customer.id);
    await expectAppError(getMyAccessOnCustomer(intruder, customer.id), "not_found");

    await expectAppError(removeDelegation(intruder, direct.id), "not_found");
    await expectAppError(removeDelegation(intruder, viaTeam.id), "not_found");
    await expectAppError(removeTeam(intruder, team.id), "not_found");
    await expectAppError(setTeamMembership(intruder, team.id, { memberId: tech.id, inTeam: false }), "not_found");
    await expectAppError(setTeamMembership(intruder, team.id, { memberId: otherTechnician.id, inTeam: true }), "not_found");
    await expectAppError(setTeamMembership(intruder, theirTeam.id, { memberId: tech.id, inTeam: true }), "not_found");
    // …and this MSP cannot pull the other MSP's technician into its own team.
    await expectAppError(setTeamMembership(ownerCtx(), team.id, { memberId: otherTechnician.id, inTeam: true }), "not_found");

    // Everything is still in place.
    const ours = await listDelegations(ownerCtx());
    expect(ours.map((d) => d.id)).toEqual(expect.arrayContaining([direct.id, viaTeam.id]));
    expect((await listTeams(ownerCtx())).find((t) => t.id === team.id)!.memberIds).toEqual([tech.id]);
    const membership = await systemTxBypassingRls((tx) => tx.select().from(teamMembers).where(eq(teamMembers.teamId, theirTeam.id)));
    expect(membership).toEqual([]);
    const [stillThere] = await systemTxBypassingRls((tx) => tx.select().from(teams).where(eq(teams.id, team.id)));
    expect(stillThere).toBeDefined();
    expect(ids(await listCustomers(contextFor(tech)))).toContain(customer.id);
  });

  it("this MSP's owner gets not_found for the other MSP's delegation", async () => {
    const theirCustomer = await newCustomer("Their delegated", contextFor(other.owner));
    const theirLevel = await newLevel("Their delegated level", contextFor(other.owner));
    await setAccessLevelForCustomer(contextFor(other.owner), theirCustomer.id, theirLevel.id, { enabled: true });
    const theirs = await createDelegation(contextFor(other.owner), { memberId: otherTechnician.id, customerId: theirCustomer.id, accessLevelIds: [theirLevel.id], maxDurationMinutes: 60 });
    await expectAppError(removeDelegation(ownerCtx(), theirs.id), "not_found");
    await expectAppError(removeDelegation(contextFor(admin), theirs.id), "not_found");
    expect((await listDelegations(contextFor(other.owner))).map((d) => d.id)).toContain(theirs.id);
    expect(ids(await listCustomers(contextFor(otherTechnician)))).toEqual([theirCustomer.id]);
  });
});

describe("delegations after review fixes", () => {
  it("refuses the same access level twice in one delegation, naming the field", async () => {
    const customer = await newCustomer("Twice");
    const level = await newLevel("Twice level");
    await enable(customer.id, level.id);
    const tech = await newTechnician();
    await expectValidation(
      createDelegation(ownerCtx(), { memberId: tech.id, customerId: customer.id, accessLevelIds: [level.id, level.id], maxDurationMinutes: 60 }),
      "accessLevelIds",
      /once/,
    );
  });

  it("archiving a delegation's only access level removes the delegation, and the customer disappears for the technician", async () => {
    const { archiveAccessLevel } = await import("@/lib/services/access-levels/archive");
    const customer = await newCustomer("Emptied");
    const level = await newLevel("Only level");
    await enable(customer.id, level.id);
    const tech = await newTechnician();
    const { id } = await createDelegation(ownerCtx(), { memberId: tech.id, customerId: customer.id, accessLevelIds: [level.id], maxDurationMinutes: 60 });
    expect(ids(await listCustomers(contextFor(tech)))).toEqual([customer.id]);
    await archiveAccessLevel(ownerCtx(), level.id);
    const [row] = await systemTxBypassingRls((tx) => tx.select().from(delegations).where(eq(delegations.id, id)));
    expect(row).toBeUndefined();
    expect(await listCustomers(contextFor(tech))).toEqual([]);
  });

  it("technicians cannot list the MSP's access levels", async () => {
    const { listAccessLevels } = await import("@/lib/services/access-levels/list");
    const tech = await newTechnician();
    await expectAppError(listAccessLevels(contextFor(tech)), "forbidden");
  });
});
