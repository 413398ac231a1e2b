import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { accessLevels, customerAccessLevels, delegationAccessLevels, entraConnections } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { GLOBAL_ADMINISTRATOR } from "@/lib/entra/role-catalog";
import { newId, randomBase62 } from "@/lib/ids";
import { createCustomer } from "@/lib/services/customers/create";
import { listCustomers } from "@/lib/services/customers/list";
import { createDelegation } from "@/lib/services/delegations/create";
import { listDelegations } from "@/lib/services/delegations/list";
import { getMyAccessOnCustomer } from "@/lib/services/delegations/my-access";
import { contextFor, expectAppError, inviteMember, seedMspDirectly, type TestMember, type TestMsp, lastAudit } from "@/test/factories";
import { expectValidation } from "@/test/expect";
import { archiveAccessLevel } from "./archive";
import { createAccessLevel } from "./create";
import { setAccessLevelForCustomer } from "./enable-for-customer";
import { listAccessLevels } from "./list";
import { updateAccessLevel } from "./update";

afterAll(closeDb);

const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";
const HELPDESK_ADMINISTRATOR = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
const EXCHANGE_ADMINISTRATOR = "29232cdf-9323-42fd-ade2-1d097af3e4de";

let msp: TestMsp;
let other: TestMsp;
let admin: TestMember;
let technician: TestMember;
let auditor: TestMember;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Access levels MSP" });
  other = await seedMspDirectly({ mspName: "Access levels other MSP" });
  admin = await inviteMember(msp.owner, "admin");
  technician = await inviteMember(msp.owner, "technician");
  auditor = await inviteMember(msp.owner, "auditor");
});

const ownerCtx = () => contextFor(msp.owner);
const uniqueName = (label: string) => `${label} ${randomBase62(6)}`;

async function levelRow(id: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(accessLevels).where(eq(accessLevels.id, id)));
  return row!;
}

async function connectTenant(mspId: string, customerId: string, roleDefinitions: { templateId: string; displayName: string; isBuiltIn: boolean }[], status: "connected" | "disconnected" = "connected") {
  await systemTxBypassingRls((tx) =>
    tx.insert(entraConnections).values({
      id: newId("connection"),
      mspId,
      customerId,
      cloud: "microsoft",
      status,
      tenantId: crypto.randomUUID(),
      tenantName: "Tenant with custom roles",
      verifiedDomains: ["custom.example"],
      roleDefinitions,
    }),
  );
}

describe("access levels: create", () => {
  it("accepts built-in role template ids, stores the level and audits it", async () => {
    const name = uniqueName("Helpdesk");
    const level = await createAccessLevel(contextFor(admin), { name, description: "Password resets", roleTemplateIds: [HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR] });
    expect(level).toMatchObject({ name, description: "Password resets", roleTemplateIds: [HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR], mspId: msp.mspId, archivedAt: null });
    expect(level.id).toMatch(/^acl_/);
    expect(await lastAudit("access_level.created", level.id)).toMatchObject({
      actorId: admin.id,
      result: "success",
      targetLabel: name,
      metadata: { roleTemplateIds: [HELPDESK_ADMINISTRATOR, USER_ADMINISTRATOR], includesGlobalAdministrator: false },
    });
    expect((await listAccessLevels(ownerCtx())).find((l) => l.id === level.id)).toMatchObject({ name, customerIds: [] });
  });

  it("an unknown role id is validation_failed on roleTemplateIds; a non-GUID too; nothing is stored", async () => {
    const unknown = crypto.randomUUID();
    const name = uniqueName("Unknown role");
    await expectValidation(createAccessLevel(ownerCtx(), { name, roleTemplateIds: [USER_ADMINISTRATOR, unknown] }), "roleTemplateIds", new RegExp(unknown));
    await expectValidation(createAccessLevel(ownerCtx(), { name, roleTemplateIds: ["User Administrator"] }), /^roleTemplateIds(\.0)?$/, /GUID/);
    await expectValidation(createAccessLevel(ownerCtx(), { name, roleTemplateIds: [] }), "roleTemplateIds", /at least one/);
    await expectValidation(createAccessLevel(ownerCtx(), { name, roleTemplateIds: [USER_ADMINISTRATOR, USER_ADMINISTRATOR] }), "roleTemplateIds", /once/);
    await expectValidation(createAccessLevel(ownerCtx(), { name: "x", roleTemplateIds: [USER_ADMINISTRATOR] }), "name");
    expect((await listAccessLevels(ownerCtx())).map((l) => l.name)).not.toContain(name);
  });

  it("a duplicate name, in any case, is a 409 conflict", async () => {
    const name = uniqueName("Exchange");
    await createAccessLevel(ownerCtx(), { name, roleTemplateIds: [EXCHANGE_ADMINISTRATOR] });
    const error = await expectAppError(createAccessLevel(ownerCtx(), { name: name.toLowerCase(), roleTemplateIds: [USER_ADMINISTRATOR] }), "conflict");
    expect(error.status).toBe(409);
    // Names are per MSP.
    await createAccessLevel(contextFor(other.owner), { name, roleTemplateIds: [EXCHANGE_ADMINISTRATOR] });
  });

  it("Global Administrator is allowed and flagged in the audit metadata", async () => {
    const level = await createAccessLevel(ownerCtx(), { name: uniqueName("Break glass"), roleTemplateIds: [GLOBAL_ADMINISTRATOR] });
    expect(level.roleTemplateIds).toEqual([GLOBAL_ADMINISTRATOR]);
    expect(await lastAudit("access_level.created", level.id)).toMatchObject({ metadata: { includesGlobalAdministrator: true, roleTemplateIds: [GLOBAL_ADMINISTRATOR] } });
  });

  it("custom role ids are accepted only when a connected tenant of this MSP lists them", async () => {
    const customRole = crypto.randomUUID();
    const disconnectedRole = crypto.randomUUID();
    const otherMspRole = crypto.randomUUID();
    // Another MSP's connected tenant knows otherMspRole: it must not count for this MSP.
    const otherCustomer = await createCustomer(contextFor(other.owner), { name: uniqueName("Other tenant") });
    await connectTenant(other.mspId, otherCustomer.id, [{ templateId: otherMspRole, displayName: "Other custom", isBuiltIn: false }]);
    await expectValidation(createAccessLevel(ownerCtx(), { name: uniqueName("Custom"), roleTemplateIds: [customRole] }), "roleTemplateIds");
    await expectValidation(createAccessLevel(ownerCtx(), { name: uniqueName("Custom"), roleTemplateIds: [otherMspRole] }), "roleTemplateIds");

    // A disconnected tenant's catalog does not count either.
    const gone = await createCustomer(ownerCtx(), { name: uniqueName("Disconnected tenant") });
    await connectTenant(msp.mspId, gone.id, [{ templateId: disconnectedRole, displayName: "Old custom", isBuiltIn: false }], "disconnected");
    await expectValidation(createAccessLevel(ownerCtx(), { name: uniqueName("Custom"), roleTemplateIds: [disconnectedRole] }), "roleTemplateIds");

    const customer = await createCustomer(ownerCtx(), { name: uniqueName("Custom tenant") });
    await connectTenant(msp.mspId, customer.id, [{ templateId: customRole, displayName: "Mailbox helper", isBuiltIn: false }]);
    const level = await createAccessLevel(ownerCtx(), { name: uniqueName("Custom"), roleTemplateIds: [customRole, USER_ADMINISTRATOR] });
    expect(level.roleTemplateIds).toEqual([customRole, USER_ADMINISTRATOR]);
    await expectValidation(createAccessLevel(ownerCtx(), { name: uniqueName("Custom"), roleTemplateIds: [otherMspRole] }), "roleTemplateIds");
  });
});

describe("access levels: update, enable, archive", () => {
  it("an update is stored and audited with from/to; unknown roles and duplicate names are refused", async () => {
    const before = uniqueName("Before");
    const after = uniqueName("After");
    const level = await createAccessLevel(ownerCtx(), { name: before, roleTemplateIds: [USER_ADMINISTRATOR] });
    await updateAccessLevel(contextFor(admin), level.id, { name: after, description: "now more", roleTemplateIds: [USER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR] });
    expect(await levelRow(level.id)).toMatchObject({ name: after, description: "now more", roleTemplateIds: [USER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR] });
    expect(await lastAudit("access_level.updated", level.id)).toMatchObject({
      actorId: admin.id,
      targetLabel: after,
      metadata: {
        from: { name: before, roleTemplateIds: [USER_ADMINISTRATOR] },
        to: { name: after, roleTemplateIds: [USER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR] },
      },
    });

    await expectValidation(updateAccessLevel(ownerCtx(), level.id, { name: after, roleTemplateIds: [crypto.randomUUID()] }), "roleTemplateIds");
    const taken = await createAccessLevel(ownerCtx(), { name: uniqueName("Taken"), roleTemplateIds: [USER_ADMINISTRATOR] });
    await expectAppError(updateAccessLevel(ownerCtx(), level.id, { name: taken.name.toUpperCase(), roleTemplateIds: [USER_ADMINISTRATOR] }), "conflict");
    expect(await levelRow(level.id)).toMatchObject({ name: after, roleTemplateIds: [USER_ADMINISTRATOR, GLOBAL_ADMINISTRATOR] });
    await expectAppError(updateAccessLevel(ownerCtx(), newId("accessLevel"), { name: uniqueName("Ghost"), roleTemplateIds: [USER_ADMINISTRATOR] }), "not_found");
  });

  it("enables and disables a level per customer, audited, idempotently", async () => {
    const level = await createAccessLevel(ownerCtx(), { name: uniqueName("Per customer"), roleTemplateIds: [USER_ADMINISTRATOR] });
    const a = await createCustomer(ownerCtx(), { name: uniqueName("Enable A") });
    const b = await createCustomer(ownerCtx(), { name: uniqueName("Enable B") });
    await setAccessLevelForCustomer(contextFor(admin), a.id, level.id, { enabled: true });
    await setAccessLevelForCustomer(contextFor(admin), a.id, level.id, { enabled: true });
    await setAccessLevelForCustomer(contextFor(admin), b.id, level.id, { enabled: true });
    expect((await listAccessLevels(ownerCtx())).find((l) => l.id === level.id)!.customerIds.sort()).toEqual([a.id, b.id].sort());
    expect(await lastAudit("access_level.enabled", a.id)).toMatchObject({ actorId: admin.id, metadata: { accessLevel: level.id } });

    await setAccessLevelForCustomer(ownerCtx(), b.id, level.id, { enabled: false });
    expect((await listAccessLevels(ownerCtx())).find((l) => l.id === level.id)!.customerIds).toEqual([a.id]);
    expect(await lastAudit("access_level.disabled", b.id)).toMatchObject({ actorId: msp.owner.id, metadata: { accessLevel: level.id } });
    const counts = new Map((await listCustomers(ownerCtx())).map((c) => [c.id, c.accessLevelCount]));
    expect(counts.get(a.id)).toBe(1);
    expect(counts.get(b.id)).toBe(0);

    await expectValidation(setAccessLevelForCustomer(ownerCtx(), a.id, level.id, { enabled: "yes" }), "enabled");
    await expectAppError(setAccessLevelForCustomer(ownerCtx(), a.id, newId("accessLevel"), { enabled: true }), "not_found");
    await expectAppError(setAccessLevelForCustomer(ownerCtx(), newId("customer"), level.id, { enabled: true }), "not_found");
  });

  it("archiving removes the level from every customer and delegation and from the list", async () => {
    const level = await createAccessLevel(ownerCtx(), { name: uniqueName("Retired"), roleTemplateIds: [USER_ADMINISTRATOR] });
    const kept = await createAccessLevel(ownerCtx(), { name: uniqueName("Kept"), roleTemplateIds: [HELPDESK_ADMINISTRATOR] });
    const customer = await createCustomer(ownerCtx(), { name: uniqueName("Archive target") });
    await setAccessLevelForCustomer(ownerCtx(), customer.id, level.id, { enabled: true });
    await setAccessLevelForCustomer(ownerCtx(), customer.id, kept.id, { enabled: true });
    const { id: delegationId } = await createDelegation(ownerCtx(), { memberId: technician.id, customerId: customer.id, accessLevelIds: [level.id, kept.id], maxDurationMinutes: 60 });
    expect((await getMyAccessOnCustomer(contextFor(technician), customer.id)).accessLevels.map((l) => l.accessLevelId).sort()).toEqual([level.id, kept.id].sort());

    await archiveAccessLevel(contextFor(admin), level.id);
    expect((await levelRow(level.id)).archivedAt).toBeInstanceOf(Date);
    expect(await lastAudit("access_level.archived", level.id)).toMatchObject({ actorId: admin.id, targetLabel: level.name });
    const [enabledRows, delegatedRows] = await systemTxBypassingRls(async (tx) => [
      await tx.select().from(customerAccessLevels).where(eq(customerAccessLevels.accessLevelId, level.id)),
      await tx.select().from(delegationAccessLevels).where(eq(delegationAccessLevels.accessLevelId, level.id)),
    ]);
    expect(enabledRows).toEqual([]);
    expect(delegatedRows).toEqual([]);
    expect((await listAccessLevels(ownerCtx())).map((l) => l.id)).not.toContain(level.id);
    expect((await listDelegations(ownerCtx(), { customerId: customer.id })).find((d) => d.id === delegationId)!.accessLevelIds).toEqual([kept.id]);
    expect((await getMyAccessOnCustomer(contextFor(technician), customer.id)).accessLevels.map((l) => l.accessLevelId)).toEqual([kept.id]);

    // Archived levels can no longer be enabled or delegated; archiving twice is a no-op.
    await archiveAccessLevel(ownerCtx(), level.id);
    await expectValidation(
      createDelegation(ownerCtx(), { memberId: technician.id, customerId: null, accessLevelIds: [level.id], maxDurationMinutes: 60 }),
      "accessLevelIds",
    );
  });

  it("technicians and auditors cannot manage access levels", async () => {
    const level = await createAccessLevel(ownerCtx(), { name: uniqueName("Guarded"), roleTemplateIds: [USER_ADMINISTRATOR] });
    const customer = await createCustomer(ownerCtx(), { name: uniqueName("Guarded customer") });
    for (const member of [technician, auditor]) {
      const ctx = contextFor(member);
      await expectAppError(createAccessLevel(ctx, { name: uniqueName("Nope"), roleTemplateIds: [USER_ADMINISTRATOR] }), "forbidden");
      await expectAppError(updateAccessLevel(ctx, level.id, { name: uniqueName("Nope"), roleTemplateIds: [GLOBAL_ADMINISTRATOR] }), "forbidden");
      await expectAppError(setAccessLevelForCustomer(ctx, customer.id, level.id, { enabled: true }), "forbidden");
      await expectAppError(archiveAccessLevel(ctx, level.id), "forbidden");
    }
    expect(await levelRow(level.id)).toMatchObject({ name: level.name, roleTemplateIds: [USER_ADMINISTRATOR], archivedAt: null });
    expect((await listAccessLevels(ownerCtx())).find((l) => l.id === level.id)!.customerIds).toEqual([]);
  });
});

describe("access levels: another MSP", () => {
  it("never sees or changes this MSP's access levels", async () => {
    const level = await createAccessLevel(ownerCtx(), { name: uniqueName("Private level"), roleTemplateIds: [USER_ADMINISTRATOR] });
    const customer = await createCustomer(ownerCtx(), { name: uniqueName("Private customer") });
    await setAccessLevelForCustomer(ownerCtx(), customer.id, level.id, { enabled: true });
    const intruder = contextFor(other.owner);
    const theirCustomer = await createCustomer(intruder, { name: uniqueName("Their customer") });
    const theirLevel = await createAccessLevel(intruder, { name: uniqueName("Their level"), roleTemplateIds: [USER_ADMINISTRATOR] });

    const theirs = await listAccessLevels(intruder);
    expect(theirs.map((l) => l.id)).not.toContain(level.id);
    expect(theirs.flatMap((l) => l.customerIds)).not.toContain(customer.id);
    await expectAppError(updateAccessLevel(intruder, level.id, { name: uniqueName("Stolen"), roleTemplateIds: [GLOBAL_ADMINISTRATOR] }), "not_found");
    await expectAppError(archiveAccessLevel(intruder, level.id), "not_found");
    await expectAppError(setAccessLevelForCustomer(intruder, customer.id, level.id, { enabled: false }), "not_found");
    await expectAppError(setAccessLevelForCustomer(intruder, theirCustomer.id, level.id, { enabled: true }), "not_found");
    await expectAppError(setAccessLevelForCustomer(intruder, customer.id, theirLevel.id, { enabled: true }), "not_found");
    // …and the other way round, from this MSP.
    await expectAppError(setAccessLevelForCustomer(ownerCtx(), customer.id, theirLevel.id, { enabled: true }), "not_found");
    expect((await listAccessLevels(ownerCtx())).map((l) => l.id)).not.toContain(theirLevel.id);

    expect(await levelRow(level.id)).toMatchObject({ name: level.name, roleTemplateIds: [USER_ADMINISTRATOR], archivedAt: null });
    expect((await listAccessLevels(ownerCtx())).find((l) => l.id === level.id)!.customerIds).toEqual([customer.id]);
  });
});
