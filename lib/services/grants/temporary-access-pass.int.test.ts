import { describe, expect, it } from "vitest";
import { systemContext } from "@/lib/services/context";
import { addGroup, inspectTenant, setMisbehaviour, setTapPolicy, setTenantSettings } from "@/test/entra";
import { contextFor, steppedUpContext } from "@/test/factories";
import { accountsOfGrant, auditOf, graphRequests, interceptGraph, readGrant, stepsOf, grantSuite } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { endGrant } from "./end";
import { expireGrant } from "./expire";
import { extendGrant } from "./extend";
import { provisionGrant } from "./provision";
import { renewTap } from "./renew-tap";
import { requestGrant } from "./request";
import { revealCredential } from "./reveal-credential";

// JIT accounts that sign in with a Temporary Access Pass: issued after the account and before its roles,
// sealed like the password, renewed when the grant outlasts it, removed (and read back) when access ends.

const suite = grantSuite("tap", "Pass MSP");

async function passGrant(options: Parameters<typeof jitReadyCustomer>[1] = {}, durationMinutes = 60) {
  const setup = await jitReadyCustomer(suite.msp, { signInMethod: "tap", ...options });
  const grant = await requestGrant(contextFor(setup.technician), {
    customerId: setup.customer.id,
    accessLevelIds: [setup.level.id],
    durationMinutes,
    justification: "Ticket 2024: Temporary Access Pass test",
  });
  return { ...setup, grant };
}

const tapPath = /^\/v1\.0\/users\/[^/]+\/authentication\/temporaryAccessPassMethods$/;
const isCreateTap = ({ method, url }: { method: string; url: URL }) => method === "POST" && tapPath.test(url.pathname);

/** The pass as Graph holds it for the grant's account (the control API shows the secret, as it shows passwords). */
async function passOf(tenantId: string, grant: { id: string; upn: string }) {
  const { users } = await accountsOfGrant(tenantId, grant);
  expect(users).toHaveLength(1);
  return users[0]!.temporaryAccessPass;
}

describe("provisioning an account that signs in with a Temporary Access Pass", () => {
  it("creates the account, then its pass, then its roles, and reveals the pass (no password)", async () => {
    const { tenant, grant, technician } = await passGrant();
    const since = new Date();
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });

    const log = await graphRequests(tenant.id, since);
    const writes = log.filter((r) => r.method === "POST").map((r) => (tapPath.test(r.path) ? "tap" : r.path.startsWith("/v1.0/roleManagement") ? "role" : r.path));
    expect(writes).toEqual(["/v1.0/users", "tap", "role", "role"]);
    // An account this job just created holds no role: its assignments are not listed before assigning.
    const firstRolePost = log.findIndex((r) => r.method === "POST" && r.path.startsWith("/v1.0/roleManagement"));
    expect(log.slice(0, firstRolePost).filter((r) => r.method === "GET" && r.path.includes("roleAssignments"))).toEqual([]);

    const pass = await passOf(tenant.id, grant);
    expect(pass).toMatchObject({ isUsable: true, isUsableOnce: false });
    const row = await readGrant(suite.msp.mspId, grant.id);
    expect(row).toMatchObject({ signInMethod: "tap", tapMethodId: pass!.id, passwordEnvelope: null });
    expect(row.tapEnvelope).not.toContain(pass!.temporaryAccessPass);
    // The pass covers the grant (60 min) plus a few minutes of slack, within the tenant's 60–480 min.
    expect(pass!.lifetimeInMinutes).toBeGreaterThanOrEqual(60);
    expect(pass!.lifetimeInMinutes).toBeLessThanOrEqual(70);
    expect(row.tapExpiresAt!.getTime()).toBeGreaterThan(row.endsAt!.getTime());

    const credential = await revealCredential(await steppedUpContext(technician), grant.id);
    expect(credential).toMatchObject({ userPrincipalName: grant.upn, signInMethod: "tap", temporaryAccessPass: pass!.temporaryAccessPass, password: null });
    expect((await stepsOf(suite.msp.mspId, grant.id)).map((s) => `${s.step}:${s.status}`)).toEqual([
      "requested:succeeded",
      "create_user:succeeded",
      "issue_tap:succeeded",
      "assign_roles:succeeded",
      "verify:succeeded",
    ]);
  });

  it("keeps the pass within the tenant's policy: a long grant gets the maximum, a one-time-only tenant a one-time pass", async () => {
    const { tenant, grant } = await passGrant({ maxDurationMinutes: 600, tapPolicy: { maximumLifetimeInMinutes: 120, isUsableOnce: true } }, 300);
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    expect(await passOf(tenant.id, grant)).toMatchObject({ lifetimeInMinutes: 120, isUsableOnce: true, isUsable: true });
  });

  it("waits out replication lag on the pass call like the role calls", async () => {
    const { tenant, grant } = await passGrant();
    await setMisbehaviour(tenant.id, { replicationLag: { requests: 3 } });
    const since = new Date();
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    const creates = (await graphRequests(tenant.id, since)).filter((r) => r.method === "POST" && tapPath.test(r.path));
    expect(creates.some((r) => r.status === 404)).toBe(true);
    expect(creates.filter((r) => r.status === 201)).toHaveLength(1);
    expect(await passOf(tenant.id, grant)).toMatchObject({ isUsable: true });
  });

  it("retries a pass call that keeps failing in a later attempt, never leaving two accounts or two usable passes", async () => {
    const { tenant, grant, technician } = await passGrant();
    suite.undo = interceptGraph([{ tenantId: tenant.id, match: isCreateTap, action: "fail", times: 3 }]).restore;
    await expect(provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).rejects.toThrow();
    suite.undo();
    suite.undo = undefined;
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    const pass = await passOf(tenant.id, grant);
    const credential = await revealCredential(await steppedUpContext(technician), grant.id);
    expect(credential.temporaryAccessPass).toBe(pass!.temporaryAccessPass);
  });

  it("after a lost answer to the pass call, the next attempt's pass replaces it: one usable pass, the one Stint holds", async () => {
    const { tenant, grant, technician } = await passGrant();
    suite.undo = interceptGraph([{ tenantId: tenant.id, match: isCreateTap, action: "lose-response", times: 3 }]).restore;
    await expect(provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).rejects.toThrow();
    suite.undo();
    suite.undo = undefined;
    const lost = await passOf(tenant.id, grant);
    expect(lost).toMatchObject({ isUsable: true });

    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    const { users } = await accountsOfGrant(tenant.id, grant);
    expect(users).toHaveLength(1);
    const pass = users[0]!.temporaryAccessPass!;
    expect(pass.id).not.toBe(lost!.id);
    const credential = await revealCredential(await steppedUpContext(technician), grant.id);
    expect(credential.temporaryAccessPass).toBe(pass.temporaryAccessPass);
  });

  it("honours 429 Retry-After on the pass call", async () => {
    const { tenant, grant } = await passGrant();
    // Two writes per 0.3 s: the pass and role writes meet 429s with a short Retry-After, waited out in the call.
    await setMisbehaviour(tenant.id, { throttle: { quotaScale: 0.0007, windowScale: 0.002 } });
    const since = new Date();
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    const log = await graphRequests(tenant.id, since);
    expect(log.some((r) => r.status === 429)).toBe(true);
    expect(log.filter((r) => r.method === "POST" && tapPath.test(r.path) && r.status === 201)).toHaveLength(1);
  });

  it("fails for good, with the reason and the fix, when the tenant's policy refuses passes, leaving nothing behind", async () => {
    const { tenant, grant } = await passGrant();
    await setTapPolicy(tenant.id, { state: "disabled" });
    // Refused for good after the account was made: the grant's expiry takes the account away, then it has failed.
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "expiring" });
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "failed" });
    const row = await readGrant(suite.msp.mspId, grant.id);
    expect(row.failureReason).toMatch(/Temporary Access Pass policy does not allow a pass.*UserCredentialPolicy/);
    expect(row.failureReason).toMatch(/enables the Temporary Access Pass for All users.*password-only/);
    expect(row.tapEnvelope).toBeNull();
    const { users, deletedUsers } = await accountsOfGrant(tenant.id, grant);
    expect(users).toEqual([]);
    expect(deletedUsers).toEqual([]);
  });

  it("a policy limited to groups refuses the new account the same way", async () => {
    const { tenant, grant } = await passGrant();
    const pilots = await addGroup(tenant.id, { displayName: "TAP pilots" });
    await setTapPolicy(tenant.id, { includeTargets: [{ id: pilots.id, targetType: "group" }] });
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "expiring" });
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "failed" });
    expect((await readGrant(suite.msp.mspId, grant.id)).failureReason).toMatch(/does not allow a pass/);
    expect((await accountsOfGrant(tenant.id, grant)).users).toEqual([]);
  });
});

describe("renewing the pass", () => {
  it("gives a grant extended past its pass a new one before the old lapses; reveal hands out the new one", async () => {
    const { tenant, grant, technician } = await passGrant({ tapPolicy: { minimumLifetimeInMinutes: 10, maximumLifetimeInMinutes: 90 } });
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    const first = await passOf(tenant.id, grant);
    await extendGrant(contextFor(technician), grant.id, { minutes: 120 });
    // Not due yet: renewal waits until shortly before the pass lapses.
    expect(await renewTap(systemContext(suite.msp.mspId, "grant.renew_tap"), grant.id, { finalAttempt: false })).toEqual({ renewed: false, skipped: true });
    // Time passes: the first pass lapses in five minutes.
    await suite.sql`update grants set tap_expires_at = now() + interval '5 minutes' where id = ${grant.id}`;
    const outcome = await renewTap(systemContext(suite.msp.mspId, "grant.renew_tap"), grant.id, { finalAttempt: false });
    expect(outcome.renewed).toBe(true);

    const second = await passOf(tenant.id, grant);
    expect(second!.id).not.toBe(first!.id);
    expect(second!.lifetimeInMinutes).toBe(90);
    const credential = await revealCredential(await steppedUpContext(technician), grant.id);
    expect(credential.temporaryAccessPass).toBe(second!.temporaryAccessPass);
    expect((await auditOf(suite.sql, suite.msp.mspId, { action: "grant.tap_renewed", targetId: grant.id })).length).toBe(1);
    expect((await stepsOf(suite.msp.mspId, grant.id)).at(-1)).toMatchObject({ step: "renew_tap", status: "succeeded" });
  });

  it("where the tenant refuses to renew a privileged account's pass, records why, alerts, and refuses extensions past the pass", async () => {
    const { tenant, grant, technician } = await passGrant({ tapPolicy: { minimumLifetimeInMinutes: 10, maximumLifetimeInMinutes: 90 } });
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    await setTenantSettings(tenant.id, { restrictAuthMethodsOfPrivilegedUsers: true });
    await extendGrant(contextFor(technician), grant.id, { minutes: 60 });
    await suite.sql`update grants set tap_expires_at = now() + interval '5 minutes' where id = ${grant.id}`;
    expect(await renewTap(systemContext(suite.msp.mspId, "grant.renew_tap"), grant.id, { finalAttempt: false })).toEqual({ renewed: false });

    const row = await readGrant(suite.msp.mspId, grant.id);
    expect(row.state).toBe("active");
    expect(row.tapRenewalError).toMatch(/could not be renewed.*New sign-ins stop/);
    const [alert] = await auditOf(suite.sql, suite.msp.mspId, { action: "grant.tap_renewal_failed", targetId: grant.id });
    expect(alert).toMatchObject({ result: "failure", metadata: { alert: true } });
    // The roles are never dropped to make a renewal possible.
    expect((await accountsOfGrant(tenant.id, grant)).users[0]!.roles.length).toBe(2);
    await expect(extendGrant(contextFor(technician), grant.id, { minutes: 30 })).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/cannot be renewed/) });
  });
});

describe("ending access", () => {
  it("removes the pass after the roles and proves none is usable", async () => {
    const { tenant, grant, technician } = await passGrant();
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    await endGrant(contextFor(technician), grant.id, "ended_by_technician");
    const since = new Date();
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });

    expect(await passOf(tenant.id, grant)).toBeNull();
    // The pass Stint issued is deleted by its id, and a list read afterwards proves none is usable.
    const passCalls = (await graphRequests(tenant.id, since)).filter((r) => r.path.includes("/temporaryAccessPassMethods"));
    expect(passCalls.map((r) => r.method)).toEqual(["DELETE", "GET"]);
    const steps = (await stepsOf(suite.msp.mspId, grant.id)).filter((s) => s.step.startsWith("expiry:")).map((s) => s.step);
    expect(steps.indexOf("expiry:remove_tap")).toBeGreaterThan(steps.indexOf("expiry:remove_roles"));
    expect(steps.indexOf("expiry:remove_tap")).toBeLessThan(steps.indexOf("expiry:disable"));
    expect((await stepsOf(suite.msp.mspId, grant.id)).find((s) => s.step === "expiry:remove_tap")).toMatchObject({ status: "succeeded", detail: expect.stringMatching(/removed; none usable/) });
    expect((await readGrant(suite.msp.mspId, grant.id)).tapEnvelope).toBeNull();
    const tenantAfter = await inspectTenant(tenant.id);
    expect(tenantAfter.users.find((u) => u.userPrincipalName === grant.upn)!.accountEnabled).toBe(false);
  });

  it("removes a pass it had no record of too, found by the list read that proves the removal", async () => {
    const { tenant, grant, technician } = await passGrant();
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    // As if a crash had come between a renewal at Graph and recording its id.
    await suite.sql`update grants set tap_method_id = ${crypto.randomUUID()} where id = ${grant.id}`;
    await endGrant(contextFor(technician), grant.id, "ended_by_technician");
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });

    expect(await passOf(tenant.id, grant)).toBeNull();
    expect((await stepsOf(suite.msp.mspId, grant.id)).find((s) => s.step === "expiry:remove_tap")).toMatchObject({ status: "succeeded", detail: "1 Temporary Access Pass(es) removed; none usable" });
  });
});

describe("choosing the method", () => {
  it("a password-only customer's grants get a password and no pass", async () => {
    const { tenant, customer, level, technician } = await jitReadyCustomer(suite.msp, { signInMethod: "password" });
    const grant = await requestGrant(contextFor(technician), { customerId: customer.id, accessLevelIds: [level.id], durationMinutes: 60, justification: "Ticket 7: password-only tenant" });
    expect(grant.signInMethod).toBe("password");
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    expect(await passOf(tenant.id, grant)).toBeNull();
    const credential = await revealCredential(await steppedUpContext(technician), grant.id);
    expect(credential).toMatchObject({ signInMethod: "password", temporaryAccessPass: null, password: expect.any(String) });
  });

  it("a connection consented before the pass permissions keeps working with passwords until re-consent", async () => {
    const { customer, level, technician } = await jitReadyCustomer(suite.msp, { signInMethod: "tap" });
    await suite.sql`update entra_connections set granted_permissions = array_remove(granted_permissions, 'UserAuthMethod-TAP.ReadWrite.All') where customer_id = ${customer.id}`;
    const grant = await requestGrant(contextFor(technician), { customerId: customer.id, accessLevelIds: [level.id], durationMinutes: 60, justification: "Ticket 8: old consent" });
    expect(grant.signInMethod).toBe("password");
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
  });
});
