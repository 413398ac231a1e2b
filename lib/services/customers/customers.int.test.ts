import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { customers, entraConnections } from "@/db/schema";
import { closeDb } from "@/db/client";
import { systemTxBypassingRls } from "@/db/tx";
import { newId, randomBase62 } from "@/lib/ids";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { createDelegation } from "@/lib/services/delegations/create";
import { contextFor, expectAppError, inviteMember, seedMspDirectly, type TestMember, type TestMsp, lastAudit } from "@/test/factories";
import { expectValidation } from "@/test/expect";
import { setCustomerArchived } from "./archive";
import { createCustomer } from "./create";
import { getCustomer } from "./get";
import { listCustomers } from "./list";
import { renameCustomer } from "./rename";
import { updateCustomerSettings } from "./update-settings";

afterAll(closeDb);

const USER_ADMINISTRATOR = "fe930be7-5e62-47db-91af-98c3a49a38b1";

let msp: TestMsp;
let other: TestMsp;
let admin: TestMember;
let technician: TestMember;
let auditor: TestMember;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Customers MSP" });
  other = await seedMspDirectly({ mspName: "Customers Other MSP" });
  admin = await inviteMember(msp.owner, "admin");
  technician = await inviteMember(msp.owner, "technician");
  auditor = await inviteMember(msp.owner, "auditor");
});

const ownerCtx = () => contextFor(msp.owner);
const uniqueName = (label: string) => `${label} ${randomBase62(6)}`;

/** What the edge would answer for a rejected call: 422 validation_failed naming the field. */
async function customerRow(id: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(customers).where(eq(customers.id, id)));
  return row!;
}

async function connect(mspId: string, customerId: string, values: Partial<typeof entraConnections.$inferInsert> = {}) {
  await systemTxBypassingRls((tx) =>
    tx.insert(entraConnections).values({
      id: newId("connection"),
      mspId,
      customerId,
      cloud: "microsoft",
      status: "connected",
      tenantId: crypto.randomUUID(),
      tenantName: "Contoso",
      verifiedDomains: ["contoso.example", "contoso.onmicrosoft.example"],
      ...values,
    }),
  );
}

const validSettings = {
  upnDomain: null,
  namingTemplate: "stint-{technician}-{grant}",
  defaultDurationMinutes: 60,
  maxDurationMinutes: 240,
  usageLocation: "de",
  expiryActions: ["remove_roles", "remove_tap", "revoke_sessions", "disable", "rotate_password"],
  consentText: "I will behave.",
  signInMethod: "tap",
};

describe("customers: lifecycle", () => {
  it("create, rename, archive and restore are each audited", async () => {
    const name = uniqueName("Contoso");
    const customer = await createCustomer(ownerCtx(), { name: `  ${name}  ` });
    expect(customer).toMatchObject({ name, mspId: msp.mspId, status: "active", isSandbox: false });
    expect(customer.id).toMatch(/^cus_/);
    expect(await lastAudit("customer.created", customer.id)).toMatchObject({ mspId: msp.mspId, actorId: msp.owner.id, result: "success", targetLabel: name });

    const renamed = uniqueName("Fabrikam");
    await renameCustomer(contextFor(admin), customer.id, { name: renamed });
    expect((await customerRow(customer.id)).name).toBe(renamed);
    expect(await lastAudit("customer.renamed", customer.id)).toMatchObject({ actorId: admin.id, targetLabel: renamed, metadata: { from: name } });

    await setCustomerArchived(ownerCtx(), customer.id, { archived: true });
    expect(await customerRow(customer.id)).toMatchObject({ status: "archived", archivedAt: expect.any(Date) });
    expect(await lastAudit("customer.archived", customer.id)).toMatchObject({ actorId: msp.owner.id, result: "success" });
    expect((await listCustomers(ownerCtx())).map((c) => c.id)).not.toContain(customer.id);
    expect((await listCustomers(ownerCtx(), { includeArchived: true })).map((c) => c.id)).toContain(customer.id);

    await setCustomerArchived(contextFor(admin), customer.id, { archived: false });
    expect(await customerRow(customer.id)).toMatchObject({ status: "active", archivedAt: null });
    expect(await lastAudit("customer.restored", customer.id)).toMatchObject({ actorId: admin.id, result: "success" });
    expect((await listCustomers(ownerCtx())).map((c) => c.id)).toContain(customer.id);
  });

  it("a duplicate name, in any case, is a 409 conflict on create and rename", async () => {
    const name = uniqueName("Northwind");
    await createCustomer(ownerCtx(), { name });
    const error = await expectAppError(createCustomer(ownerCtx(), { name: name.toUpperCase() }), "conflict");
    expect(error.status).toBe(409);
    const second = await createCustomer(ownerCtx(), { name: uniqueName("Tailspin") });
    await expectAppError(renameCustomer(ownerCtx(), second.id, { name: name.toLowerCase() }), "conflict");
    // Renaming to the same name in another case is not a conflict with itself.
    await renameCustomer(ownerCtx(), second.id, { name: second.name.toUpperCase() });
    // Another MSP may use the same name.
    await createCustomer(contextFor(other.owner), { name });
  });

  it("bad names are validation_failed naming the field", async () => {
    await expectValidation(createCustomer(ownerCtx(), { name: " x " }), "name", /at least 2/i);
    await expectValidation(createCustomer(ownerCtx(), { name: "y".repeat(101) }), "name", /at most 100/i);
    await expectValidation(createCustomer(ownerCtx(), { name: 42 }), "name");
    await expectValidation(createCustomer(ownerCtx(), {}), "name");
    const customer = await createCustomer(ownerCtx(), { name: uniqueName("Rename target") });
    await expectValidation(renameCustomer(ownerCtx(), customer.id, { name: "" }), "name");
  });

  it("technicians and auditors cannot create, rename, archive or change settings", async () => {
    const customer = await createCustomer(ownerCtx(), { name: uniqueName("Guarded") });
    for (const member of [technician, auditor]) {
      const ctx = contextFor(member);
      await expectAppError(createCustomer(ctx, { name: uniqueName("Nope") }), "forbidden");
      await expectAppError(renameCustomer(ctx, customer.id, { name: uniqueName("Nope") }), "forbidden");
      await expectAppError(setCustomerArchived(ctx, customer.id, { archived: true }), "forbidden");
      await expectAppError(updateCustomerSettings(ctx, customer.id, validSettings), "forbidden");
    }
    expect(await customerRow(customer.id)).toMatchObject({ name: customer.name, status: "active" });
  });

  it("auditors list and read every customer; technicians without delegations see none", async () => {
    const a = await createCustomer(ownerCtx(), { name: uniqueName("Auditor sees A") });
    const b = await createCustomer(ownerCtx(), { name: uniqueName("Auditor sees B") });
    const all = await listCustomers(ownerCtx());
    const seenByAuditor = await listCustomers(contextFor(auditor));
    expect(seenByAuditor.map((c) => c.id)).toEqual(all.map((c) => c.id));
    expect(seenByAuditor.map((c) => c.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await getCustomer(contextFor(auditor), a.id)).customer.id).toBe(a.id);
    expect(await listCustomers(contextFor(technician))).toEqual([]);
    await expectAppError(getCustomer(contextFor(technician), a.id), "not_found");
  });
});

describe("customers: settings", () => {
  let customerId: string;
  beforeAll(async () => {
    customerId = (await createCustomer(ownerCtx(), { name: uniqueName("Settings") })).id;
  });

  it("a valid update is stored, normalised and audited", async () => {
    await updateCustomerSettings(contextFor(admin), customerId, validSettings);
    expect(await customerRow(customerId)).toMatchObject({
      upnDomain: null,
      namingTemplate: "stint-{technician}-{grant}",
      defaultDurationMinutes: 60,
      maxDurationMinutes: 240,
      usageLocation: "DE",
      expiryActions: ["remove_roles", "remove_tap", "revoke_sessions", "disable", "rotate_password"],
      consentText: "I will behave.",
    });
    expect(await lastAudit("customer.settings_changed", customerId)).toMatchObject({
      actorId: admin.id,
      metadata: { settings: expect.objectContaining({ maxDurationMinutes: 240, usageLocation: "DE" }) },
    });
  });

  const cases: { label: string; patch: Record<string, unknown>; field: string | RegExp; message: RegExp }[] = [
    { label: "default above maximum", patch: { defaultDurationMinutes: 300, maxDurationMinutes: 240 }, field: "defaultDurationMinutes", message: /240 minutes/ },
    { label: "default below 15", patch: { defaultDurationMinutes: 14 }, field: "defaultDurationMinutes", message: /15 minutes/ },
    { label: "maximum below 15", patch: { defaultDurationMinutes: 15, maxDurationMinutes: 10 }, field: "maxDurationMinutes", message: /15 minutes/ },
    { label: "maximum above 7 days", patch: { maxDurationMinutes: 10081 }, field: "maxDurationMinutes", message: /10080 minutes/ },
    { label: "fractional minutes", patch: { defaultDurationMinutes: 30.5 }, field: "defaultDurationMinutes", message: /whole minutes/ },
    { label: "usage location of three letters", patch: { usageLocation: "USA" }, field: "usageLocation", message: /two-letter/ },
    { label: "usage location with digits", patch: { usageLocation: "1A" }, field: "usageLocation", message: /two-letter/ },
    { label: "naming template without {grant}", patch: { namingTemplate: "stint-{technician}" }, field: "namingTemplate", message: /\{grant\}/ },
    { label: "naming template with a space", patch: { namingTemplate: "stint {grant}" }, field: "namingTemplate", message: /letters, digits/ },
    { label: "naming template with an @", patch: { namingTemplate: "stint-{grant}@x" }, field: "namingTemplate", message: /letters, digits/ },
    { label: "naming template with an unknown placeholder", patch: { namingTemplate: "{user}-{grant}" }, field: "namingTemplate", message: /letters, digits/ },
    { label: "naming template too long", patch: { namingTemplate: `{grant}${"a".repeat(40)}` }, field: "namingTemplate", message: /40 characters/ },
    { label: "expiry without disable or delete", patch: { expiryActions: ["remove_roles", "revoke_sessions"] }, field: "expiryActions", message: /disable or delete/ },
    { label: "expiry without remove_roles", patch: { expiryActions: ["revoke_sessions", "disable"] }, field: "expiryActions", message: /remove roles must come first/i },
    { label: "remove_roles after disable", patch: { expiryActions: ["disable", "remove_roles"] }, field: "expiryActions", message: /remove roles must come first/i },
    { label: "remove_roles after rotate_password", patch: { expiryActions: ["rotate_password", "remove_roles", "disable"] }, field: "expiryActions", message: /remove roles must come first/i },
    { label: "remove_roles after delete", patch: { expiryActions: ["delete", "remove_roles"] }, field: "expiryActions", message: /remove roles must come first/i },
    { label: "a duplicate action", patch: { expiryActions: ["remove_roles", "disable", "disable"] }, field: "expiryActions", message: /once/ },
    { label: "an unknown action", patch: { expiryActions: ["remove_roles", "disable", "wipe_mailbox"] }, field: /^expiryActions(\.2)?$/, message: /remove_roles, remove_tap, revoke_sessions, disable, rotate_password, delete/ },
    { label: "pass sign-in without removing the pass", patch: { expiryActions: ["remove_roles", "disable"] }, field: "expiryActions", message: /remove the pass/ },
    { label: "removing the pass before the roles", patch: { expiryActions: ["remove_tap", "remove_roles", "disable"] }, field: "expiryActions", message: /remove roles must come first/i },
    { label: "an unknown sign-in method", patch: { signInMethod: "sms" }, field: "signInMethod", message: /tap, password/ },
    { label: "no action at all", patch: { expiryActions: [] }, field: "expiryActions", message: /at least one/ },
    { label: "an unknown time zone", patch: { timeZone: "Mars/Olympus_Mons" }, field: "timeZone", message: /IANA name/ },
    { label: "a UTC offset for a time zone", patch: { timeZone: "+02:00 Berlin" }, field: "timeZone", message: /IANA name/ },
  ];
  for (const c of cases) {
    it(`rejects ${c.label} (validation_failed naming the field and the limit)`, async () => {
      const before = await customerRow(customerId);
      await expectValidation(updateCustomerSettings(ownerCtx(), customerId, { ...validSettings, ...c.patch }), c.field, c.message);
      expect((await customerRow(customerId)).updatedAt).toEqual(before.updatedAt);
    });
  }

  it("the remove-roles rule allows revoke_sessions before it, as long as it precedes the account changes", async () => {
    await updateCustomerSettings(ownerCtx(), customerId, { ...validSettings, expiryActions: ["revoke_sessions", "remove_roles", "disable", "delete"] });
    expect((await customerRow(customerId)).expiryActions).toEqual(["revoke_sessions", "remove_roles", "disable", "delete"]);
  });

  it("password-only sign-in needs no pass removal, and saving the method makes it the admin's choice", async () => {
    expect((await customerRow(customerId)).signInMethodChosenAt).not.toBeNull();
    await updateCustomerSettings(ownerCtx(), customerId, { ...validSettings, signInMethod: "password", expiryActions: ["remove_roles", "revoke_sessions", "disable"] });
    expect(await customerRow(customerId)).toMatchObject({ signInMethod: "password", expiryActions: ["remove_roles", "revoke_sessions", "disable"] });
    // Back to the pass while the actions still lack its removal: refused, whether or not the method is sent.
    await expectValidation(updateCustomerSettings(ownerCtx(), customerId, { ...validSettings, signInMethod: "tap", expiryActions: ["remove_roles", "disable"] }), "expiryActions", /remove the pass/);
    await updateCustomerSettings(ownerCtx(), customerId, validSettings);
  });

  it("the time zone is saved with the settings, and left as it was when not sent", async () => {
    const customer = await createCustomer(ownerCtx(), { name: uniqueName("Zone") });
    expect((await customerRow(customer.id)).timeZone).toBe("UTC");
    await updateCustomerSettings(ownerCtx(), customer.id, { ...validSettings, timeZone: " Europe/Berlin " });
    expect((await customerRow(customer.id)).timeZone).toBe("Europe/Berlin");
    await updateCustomerSettings(ownerCtx(), customer.id, validSettings);
    expect((await customerRow(customer.id)).timeZone).toBe("Europe/Berlin");
  });

  it("a UPN domain needs a connected tenant that verified it", async () => {
    const customer = await createCustomer(ownerCtx(), { name: uniqueName("UPN") });
    await expectValidation(updateCustomerSettings(ownerCtx(), customer.id, { ...validSettings, upnDomain: "contoso.example" }), "upnDomain", /connect/i);

    // A disconnected tenant counts as not connected.
    await connect(msp.mspId, customer.id, { status: "disconnected" });
    await expectValidation(updateCustomerSettings(ownerCtx(), customer.id, { ...validSettings, upnDomain: "contoso.example" }), "upnDomain", /connect/i);
    await systemTxBypassingRls((tx) => tx.update(entraConnections).set({ status: "connected" }).where(eq(entraConnections.customerId, customer.id)));

    await expectValidation(
      updateCustomerSettings(ownerCtx(), customer.id, { ...validSettings, upnDomain: "fabrikam.example" }),
      "upnDomain",
      /fabrikam\.example is not a verified domain/,
    );
    expect((await customerRow(customer.id)).upnDomain).toBeNull();

    await updateCustomerSettings(ownerCtx(), customer.id, { ...validSettings, upnDomain: " Contoso.Example " });
    expect((await customerRow(customer.id)).upnDomain).toBe("contoso.example");
  });

  it("a blank UPN domain is stored as none, not as an empty string", async () => {
    const customer = await createCustomer(ownerCtx(), { name: uniqueName("Blank UPN") });
    await updateCustomerSettings(ownerCtx(), customer.id, { ...validSettings, upnDomain: "   " });
    expect((await customerRow(customer.id)).upnDomain).toBeNull();
  });

  it("another customer's verified domains do not count", async () => {
    const connected = await createCustomer(ownerCtx(), { name: uniqueName("Connected") });
    await connect(msp.mspId, connected.id, { verifiedDomains: ["woodgrove.example"] });
    const bare = await createCustomer(ownerCtx(), { name: uniqueName("Bare") });
    await expectValidation(updateCustomerSettings(ownerCtx(), bare.id, { ...validSettings, upnDomain: "woodgrove.example" }), "upnDomain");
  });
});

describe("customers: list", () => {
  it("shows connection health and counts of enabled access levels and delegations", async () => {
    const healthy = await createCustomer(ownerCtx(), { name: uniqueName("List healthy") });
    const broken = await createCustomer(ownerCtx(), { name: uniqueName("List broken") });
    const bare = await createCustomer(ownerCtx(), { name: uniqueName("List bare") });
    const tenantId = crypto.randomUUID();
    await connect(msp.mspId, healthy.id, { tenantId, tenantName: "Healthy tenant" });
    await connect(msp.mspId, broken.id, { healthOk: false, healthDetail: "Consent revoked", healthCheckedAt: new Date() });

    const l1 = await createAccessLevel(ownerCtx(), { name: uniqueName("List L1"), roleTemplateIds: [USER_ADMINISTRATOR] });
    const l2 = await createAccessLevel(ownerCtx(), { name: uniqueName("List L2"), roleTemplateIds: [USER_ADMINISTRATOR] });
    await setAccessLevelForCustomer(ownerCtx(), healthy.id, l1.id, { enabled: true });
    await setAccessLevelForCustomer(ownerCtx(), healthy.id, l2.id, { enabled: true });
    await setAccessLevelForCustomer(ownerCtx(), broken.id, l1.id, { enabled: true });
    await createDelegation(ownerCtx(), { memberId: technician.id, customerId: healthy.id, accessLevelIds: [l1.id], maxDurationMinutes: 60 });
    await createDelegation(ownerCtx(), { memberId: admin.id, customerId: healthy.id, accessLevelIds: [l1.id, l2.id], maxDurationMinutes: 60 });

    const listed = await listCustomers(ownerCtx());
    const byId = new Map(listed.map((c) => [c.id, c]));
    expect(byId.get(healthy.id)).toMatchObject({
      name: healthy.name,
      status: "active",
      connection: { status: "connected", tenantId, tenantName: "Healthy tenant", healthOk: true },
      accessLevelCount: 2,
      delegationCount: 2,
    });
    expect(byId.get(broken.id)).toMatchObject({
      connection: { status: "connected", healthOk: false, healthDetail: "Consent revoked", healthCheckedAt: expect.any(Date) },
      accessLevelCount: 1,
      delegationCount: 0,
    });
    expect(byId.get(bare.id)).toMatchObject({ accessLevelCount: 0, delegationCount: 0 });
    expect(byId.get(bare.id)!.connection?.status ?? null).toBeNull();
    // Sorted by name, case-insensitively.
    const names = listed.map((c) => c.name.toLowerCase());
    expect(names).toEqual([...names].sort());
  });

  it("q finds a customer by name, UPN domain, tenant name or tenant id, taking % and _ literally", async () => {
    const tag = randomBase62(8).toLowerCase();
    const byName = await createCustomer(ownerCtx(), { name: `Search ${tag} Ltd` });
    const byDomain = await createCustomer(ownerCtx(), { name: uniqueName("Search domain") });
    const byTenant = await createCustomer(ownerCtx(), { name: uniqueName("Search tenant") });
    const percent = await createCustomer(ownerCtx(), { name: `Search 100% ${tag}` });
    const underscore = await createCustomer(ownerCtx(), { name: `Search a_b ${tag}` });
    const tenantId = crypto.randomUUID();
    await connect(msp.mspId, byTenant.id, { tenantId, tenantName: `Tenant ${tag} HQ` });
    await systemTxBypassingRls((tx) => tx.update(customers).set({ upnDomain: `${tag}.example` }).where(eq(customers.id, byDomain.id)));
    const found = async (q: string) => (await listCustomers(ownerCtx(), { q })).map((c) => c.id).sort();

    expect(await found(tag.toUpperCase())).toEqual([byName.id, byDomain.id, byTenant.id, percent.id, underscore.id].sort());
    expect(await found(`${tag}.example`)).toEqual([byDomain.id]);
    expect(await found(`tenant ${tag}`)).toEqual([byTenant.id]);
    expect(await found(tenantId.slice(9, 23))).toEqual([byTenant.id]);
    expect(await found(`100% ${tag}`)).toEqual([percent.id]);
    expect(await found(`% ${tag}`)).toEqual([percent.id]);
    expect(await found(`a_b ${tag}`)).toEqual([underscore.id]);
    expect(await found(`_ ${tag}`)).toEqual([]);
    expect(await found(`search ${tag} ltd`)).toEqual([byName.id]);
  });

  it("q still sees only what the actor may see, and rejects what is too long", async () => {
    const tag = randomBase62(8);
    await createCustomer(ownerCtx(), { name: `Hidden ${tag}` });
    expect(await listCustomers(contextFor(technician), { q: tag })).toEqual([]);
    expect(await listCustomers(contextFor(other.owner), { q: tag })).toEqual([]);
    await expectValidation(listCustomers(ownerCtx(), { q: "x".repeat(201) }), "q");
  });
});

describe("customers: another MSP", () => {
  it("cannot list, read, rename, archive or configure this MSP's customers", async () => {
    const customer = await createCustomer(ownerCtx(), { name: uniqueName("Private") });
    await connect(msp.mspId, customer.id);
    const intruder = contextFor(other.owner);
    expect((await listCustomers(intruder, { includeArchived: true })).map((c) => c.id)).not.toContain(customer.id);
    expect((await listCustomers(intruder, { includeArchived: true })).every((c) => c.id !== customer.id)).toBe(true);
    await expectAppError(getCustomer(intruder, customer.id), "not_found");
    await expectAppError(renameCustomer(intruder, customer.id, { name: uniqueName("Stolen") }), "not_found");
    await expectAppError(setCustomerArchived(intruder, customer.id, { archived: true }), "not_found");
    await expectAppError(updateCustomerSettings(intruder, customer.id, { ...validSettings, upnDomain: "contoso.example" }), "not_found");
    expect(await customerRow(customer.id)).toMatchObject({ name: customer.name, status: "active", upnDomain: null, maxDurationMinutes: 480 });
    expect(await lastAudit("customer.renamed", customer.id)).toBeUndefined();
  });
});
