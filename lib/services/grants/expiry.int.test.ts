import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { cloudConfig } from "@/lib/entra/clouds";
import { graphFor } from "@/lib/entra/graph";
import { closeQueues, queue } from "@/lib/queue/producer";
import { systemContext } from "@/lib/services/context";
import { setMisbehaviour } from "@/test/entra";
import { contextFor, seedMspDirectly, superuserSql, type TestMsp } from "@/test/factories";
import { accountsOfGrant, assignTenantRole, auditOf, deleteQueueKeys, graphRequests, readGrant, stepsOf, useTestQueuePrefix } from "@/test/grant-harness";
import { HELPDESK_ADMINISTRATOR, jitReadyCustomer } from "@/test/grants";
import { expireGrant } from "./expire";
import { provisionGrant } from "./provision";
import { requestGrant } from "./request";
import { sweepDueGrants } from "./sweep";

// Expiry: the customer's expiry actions in order, each verified in Graph, the timeline and the exposure
// record, and what happens when Entra refuses (irrevocable, retried daily).

const prefix = useTestQueuePrefix("expiry");
let msp: TestMsp;
let sql: postgres.Sql;

beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Expiry MSP" });
  sql = superuserSql();
});
afterAll(async () => {
  await closeQueues();
  await deleteQueueKeys(prefix);
  await sql.end();
  await closeDb();
});

const GLOBAL_READER = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
const DIRECTORY_READERS = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";

/** An active grant whose end has come (ends_at moved into the past, as time passing would). */
async function dueGrant(options: Parameters<typeof jitReadyCustomer>[1] = {}) {
  const setup = await jitReadyCustomer(msp, options);
  const requested = await requestGrant(contextFor(setup.technician), {
    customerId: setup.customer.id,
    accessLevelIds: [setup.level.id],
    durationMinutes: 30,
    justification: "Ticket 2002: expiry order test",
  });
  expect(await provisionGrant(systemContext(msp.mspId, "grant.provision"), requested.id, { finalAttempt: false })).toEqual({ state: "active" });
  await sql`update grants set ends_at = now() - interval '1 second' where id = ${requested.id}`;
  const grant = await readGrant(msp.mspId, requested.id);
  const [user] = (await accountsOfGrant(setup.tenant.id, grant)).users;
  return { ...setup, grant, user: user! };
}

const floorToSecond = (d: Date) => Math.floor(d.getTime() / 1000) * 1000;

describe("expiry in the default order", () => {
  it("removes every role, revokes sessions, disables, rotates the password — each verified, timed and recorded", async () => {
    const { tenant, grant, user } = await dueGrant();
    // A role somebody added in the tenant during the grant goes too: remove_roles takes every assignment.
    await assignTenantRole(tenant.id, user.id, GLOBAL_READER);
    const knownPassword = user.password;
    const since = new Date();

    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });

    const row = await readGrant(msp.mspId, grant.id);
    expect(row.state).toBe("ended");
    expect(row.endReason).toBe("expired");
    expect(row.passwordEnvelope).toBeNull();
    // Planned exposure (usable_from → ends_at) and actual (→ usable_to) are both on the row.
    expect(row.usableFrom).not.toBeNull();
    expect(row.endsAt!.getTime()).toBe(grant.endsAt!.getTime());
    expect(row.expiryStartedAt!.getTime()).toBeGreaterThanOrEqual(row.endsAt!.getTime());
    expect(row.usableTo!.getTime()).toBeGreaterThanOrEqual(row.expiryStartedAt!.getTime());
    expect(row.usableTo!.getTime() - row.endsAt!.getTime()).toBeLessThan(10_000);

    const { users, tenant: after } = await accountsOfGrant(tenant.id, grant);
    const ended = users.find((u) => u.id === user.id)!;
    expect(ended.roles).toEqual([]);
    expect(after.roleAssignments.filter((a) => a.principalId === user.id)).toEqual([]);
    expect(ended.accountEnabled).toBe(false);
    const revocations = after.revocations.filter((r) => r.userId === user.id);
    expect(revocations).toHaveLength(1);
    expect(Date.parse(revocations[0]!.at)).toBeGreaterThanOrEqual(since.getTime());
    expect(Date.parse(String(ended.properties.signInSessionsValidFromDateTime))).toBeGreaterThanOrEqual(floorToSecond(since));
    expect(ended.password).not.toBe(knownPassword);
    expect(Date.parse(String(ended.properties.lastPasswordChangeDateTime))).toBeGreaterThanOrEqual(floorToSecond(since));

    // The order on the wire: the role deletions first; once Graph has accepted them, the revocation and one PATCH
    // carrying both changes to the account (disable, password) go together.
    const requests = await graphRequests(tenant.id, since);
    // What Stint made is removed by id before any list is read.
    expect(requests[0]).toMatchObject({ method: "DELETE", path: expect.stringMatching(/^\/v1\.0\/roleManagement\/directory\/roleAssignments\//) });
    const writes = requests.filter((r) => r.method !== "GET" && r.status < 300);
    const shapes = writes.map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}|[A-Za-z0-9_-]{40,}/g, ":id")}`);
    expect(shapes.slice(0, 3)).toEqual(Array(3).fill("DELETE /v1.0/roleManagement/directory/roleAssignments/:id"));
    expect(shapes.slice(3).sort()).toEqual(["PATCH /v1.0/users/:id", "POST /v1.0/users/:id/revokeSignInSessions"]);

    // The timeline: each step with its start and finish, in the customer's order; the others start once the
    // role removal has begun (its deletions accepted, above) and run together; the grant ends after every one.
    const steps = (await stepsOf(msp.mspId, grant.id)).filter((s) => s.step.startsWith("expiry:"));
    expect(steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      "expiry:remove_roles:succeeded", "expiry:remove_tap:succeeded", "expiry:revoke_sessions:succeeded", "expiry:disable:succeeded", "expiry:rotate_password:succeeded",
    ]);
    // A password grant was never given a pass: the step says so without asking Graph.
    expect(steps[1]!.detail).toMatch(/no pass was issued/);
    expect(steps[0]!.detail).toBe("3 role assignment(s) removed; none left");
    for (const [i, step] of steps.entries()) {
      expect(step.finishedAt!.getTime()).toBeGreaterThanOrEqual(step.startedAt.getTime());
      if (i > 0) expect(step.startedAt.getTime()).toBeGreaterThanOrEqual(steps[0]!.startedAt.getTime());
      expect(row.usableTo!.getTime()).toBeGreaterThanOrEqual(step.finishedAt!.getTime());
    }

    const audit = await auditOf(sql, msp.mspId, { targetId: grant.id });
    expect(audit.map((e) => e.action)).toEqual(["grant.approved", "grant.provisioning", "grant.active", "grant.expiring", "grant.ended"]);

    // Running the job again (BullMQ's at-least-once) changes nothing.
    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended", skipped: true });
  });

  it("with `delete`, removes the account and purges it from deleted items", async () => {
    const { tenant, grant, user } = await dueGrant({ expiryActions: ["remove_roles", "revoke_sessions", "disable", "rotate_password", "delete"] });

    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });

    const { users, deletedUsers, tenant: after } = await accountsOfGrant(tenant.id, grant);
    expect(users).toEqual([]);
    expect(deletedUsers).toEqual([]);
    expect(after.roleAssignments.filter((a) => a.principalId === user.id)).toEqual([]);
    const steps = (await stepsOf(msp.mspId, grant.id)).filter((s) => s.step.startsWith("expiry:"));
    expect(steps.map((s) => s.step)).toEqual(["expiry:remove_roles", "expiry:revoke_sessions", "expiry:disable", "expiry:rotate_password", "expiry:delete"]);
    expect(steps.at(-1)).toMatchObject({ status: "succeeded", detail: "account deleted and purged" });
  });

  it("an account that was deleted out of band counts as taken away", async () => {
    const { tenant, grant, user, customer } = await dueGrant({ roles: [DIRECTORY_READERS] });
    const [connection] = await sql<{ cloud: string }[]>`select cloud from entra_connections where customer_id = ${customer.id}`;
    await graphFor(cloudConfig(connection!.cloud as "microsoft"), tenant.id).deleteUser(user.id);
    // Made long enough ago that "not found" cannot be replication lag.
    await sql`update grant_steps set started_at = started_at - interval '10 minutes' where grant_id = ${grant.id} and step = 'create_user'`;

    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });
    const steps = (await stepsOf(msp.mspId, grant.id)).filter((s) => s.step.startsWith("expiry:"));
    expect(steps.every((s) => s.status === "succeeded")).toBe(true);
    expect(steps.find((s) => s.step === "expiry:disable")!.detail).toBe("the account no longer exists");
  });

  it("a fresh account Graph never showed Stint, found in the deleted items, counts as taken away without waiting out replication", async () => {
    const { tenant, grant, user, customer } = await dueGrant({ roles: [DIRECTORY_READERS] });
    // As a clean-up whose run deleted the account and died before recording it: the account is fresh and the
    // grant never became usable, so a "not found" alone could still be lag.
    await sql`update grants set usable_from = null where id = ${grant.id}`;
    const [connection] = await sql<{ cloud: string }[]>`select cloud from entra_connections where customer_id = ${customer.id}`;
    await graphFor(cloudConfig(connection!.cloud as "microsoft"), tenant.id).deleteUser(user.id);
    const started = Date.now();
    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });
    expect(Date.now() - started).toBeLessThan(5_000);
    const steps = (await stepsOf(msp.mspId, grant.id)).filter((s) => s.step.startsWith("expiry:"));
    expect(steps.find((s) => s.step === "expiry:disable")!.detail).toBe("the account no longer exists");
  });
});

describe("expiry that Entra refuses", () => {
  it("while removed roles are still listed, the other actions already run; ended only once the lists prove the roles gone", async () => {
    const { tenant, grant, user } = await dueGrant();
    await setMisbehaviour(tenant.id, { assignmentReplicationLag: { ms: 1_500, removals: true } });
    try {
      expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });
    } finally {
      await setMisbehaviour(tenant.id, { assignmentReplicationLag: null });
    }
    const steps = (await stepsOf(msp.mspId, grant.id)).filter((s) => s.step.startsWith("expiry:"));
    const roles = steps.find((s) => s.step === "expiry:remove_roles")!;
    const disable = steps.find((s) => s.step === "expiry:disable")!;
    // The account was disabled while Graph still listed the removed roles, not a replication window later.
    expect(disable.finishedAt!.getTime()).toBeLessThan(roles.finishedAt!.getTime());
    expect(roles.finishedAt!.getTime() - roles.startedAt.getTime()).toBeGreaterThanOrEqual(1_000);
    expect(steps.every((s) => s.status === "succeeded")).toBe(true);
    const row = await readGrant(msp.mspId, grant.id);
    expect(row.usableTo!.getTime()).toBeGreaterThanOrEqual(roles.finishedAt!.getTime());
    expect(row.expiryAttempts).toBe(0);
    const ended = (await accountsOfGrant(tenant.id, grant)).users.find((u) => u.id === user.id)!;
    expect(ended).toMatchObject({ accountEnabled: false, roles: [] });
  });

  it("if Graph still counts a removed privileged role against its user, the refused actions are tried again each second, not only once the removal is proven", async () => {
    const { tenant, grant, user } = await dueGrant();
    expect(user.roles).toContain(HELPDESK_ADMINISTRATOR);
    // The removal replicates after 1.5 s; the first list read after the deletions is throttled for 4 s.
    await setMisbehaviour(tenant.id, {
      assignmentReplicationLag: { ms: 1_500, removals: true, removalsGuardPrivileged: true },
      faults: { next: 1, rate: 0, status: 429, retryAfterSeconds: 4, match: "^GET /roleManagement/directory/roleAssignments" },
    });
    const since = new Date();
    try {
      expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });
    } finally {
      await setMisbehaviour(tenant.id, { assignmentReplicationLag: null, faults: null });
    }
    // Disable, revoke and the password change were refused while the removal replicated, then done within the
    // same attempt (no job retry, no failed step), and before the throttled list read could prove the removal.
    const refused = (await graphRequests(tenant.id, since)).filter((r) => r.status === 403);
    expect(refused.length).toBeGreaterThan(0);
    const row = await readGrant(msp.mspId, grant.id);
    expect(row).toMatchObject({ state: "ended", expiryAttempts: 0 });
    const steps = (await stepsOf(msp.mspId, grant.id)).filter((s) => s.step.startsWith("expiry:"));
    expect(steps.map((s) => s.status)).toEqual(Array(5).fill("succeeded"));
    const roles = steps.find((s) => s.step === "expiry:remove_roles")!;
    expect(steps.find((s) => s.step === "expiry:disable")!.finishedAt!.getTime()).toBeLessThan(roles.finishedAt!.getTime());
    const ended = (await accountsOfGrant(tenant.id, grant)).users.find((u) => u.id === user.id)!;
    expect(ended).toMatchObject({ accountEnabled: false, roles: [] });
  });

  it("a sign-out whose answer was lost is sent again within the attempt: revoking twice changes nothing more", async () => {
    const { tenant, grant, user } = await dueGrant();
    await setMisbehaviour(tenant.id, { faults: { next: 1, status: 504, afterHandler: true, match: "^POST /users/[^/]+/revokeSignInSessions$" } });
    try {
      expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });
    } finally {
      await setMisbehaviour(tenant.id, { faults: null });
    }
    expect(await readGrant(msp.mspId, grant.id)).toMatchObject({ state: "ended", expiryAttempts: 0 });
    const revokes = (await graphRequests(tenant.id)).filter((r) => r.path.endsWith(`/users/${user.id}/revokeSignInSessions`));
    expect(revokes.map((r) => r.status)).toEqual([504, 200]);
  });

  it("disable before remove_roles on a privileged account: 403, retried, then irrevocable with an alert; fixed, it ends", async () => {
    const { tenant, grant, user } = await dueGrant();
    expect(user.roles).toContain(HELPDESK_ADMINISTRATOR);
    await sql`update grants set expiry_actions = '{disable,remove_roles,revoke_sessions,rotate_password}' where id = ${grant.id}`;

    // A non-final attempt throws, so that BullMQ retries with backoff.
    await expect(expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).rejects.toThrow(/Insufficient privileges/);
    let row = await readGrant(msp.mspId, grant.id);
    expect(row).toMatchObject({ state: "expiring", expiryAttempts: 1 });
    const refused = (await graphRequests(tenant.id)).filter((r) => r.status === 403);
    expect(refused.map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /v1.0/users/${user.id}`]);

    // The last attempt: irrevocable, an alert, and a new try as long again as it has failed, at least 5 minutes.
    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: true })).toEqual({ state: "irrevocable" });
    row = await readGrant(msp.mspId, grant.id);
    expect(row.state).toBe("irrevocable");
    expect(row.expiryAttempts).toBe(2);
    expect(row.failureReason).toMatch(/Insufficient privileges to complete the operation/);
    expect(row.nextExpiryAttemptAt!.getTime() - Date.now()).toBeGreaterThan(4 * 60_000 - 5_000);
    expect(row.nextExpiryAttemptAt!.getTime() - Date.now()).toBeLessThan(6 * 60_000);
    const [alert] = await auditOf(sql, msp.mspId, { action: "grant.irrevocable", targetId: grant.id });
    expect(alert).toMatchObject({ result: "failure", actor_type: "system", metadata: { alert: true } });
    expect(alert!.reason).toMatch(/Insufficient privileges/);
    // Nothing was taken away: the account still has its roles and is enabled (which is why it is red).
    const still = (await accountsOfGrant(tenant.id, grant)).users[0]!;
    expect(still.accountEnabled).toBe(true);
    expect(still.roles.length).toBeGreaterThan(0);

    // The retry, an hour of failing later and still refused: stays irrevocable, another failure event, and the
    // next try an hour later (never a day).
    await sql`update grants set next_expiry_attempt_at = now() - interval '1 second', expiry_started_at = now() - interval '70 minutes' where id = ${grant.id}`;
    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "irrevocable" });
    row = await readGrant(msp.mspId, grant.id);
    expect(row.nextExpiryAttemptAt!.getTime() - Date.now()).toBeGreaterThan(48 * 60_000 - 5_000);
    expect(row.nextExpiryAttemptAt!.getTime() - Date.now()).toBeLessThan(72 * 60_000);
    expect(await auditOf(sql, msp.mspId, { action: "grant.revocation_retry_failed", targetId: grant.id })).toHaveLength(1);

    // Someone fixes the order; the sweeper finds the due retry and the job ends the grant from irrevocable.
    await sql`update grants set expiry_actions = '{remove_roles,revoke_sessions,disable,rotate_password}', next_expiry_attempt_at = now() - interval '1 second' where id = ${grant.id}`;
    const swept = await sweepDueGrants();
    expect(swept.expiring).toBeGreaterThanOrEqual(1);
    // Next to the original timer (still delayed until the old ends_at), a job to run now.
    const queued = await queue("expiry").getJobs(["waiting", "prioritized"]);
    expect(queued.filter((j) => j.data.grantId === grant.id).map((j) => j.id)).toEqual([expect.stringMatching(new RegExp(`^expire-${grant.id}-sweep-\\d+$`))]);

    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });
    row = await readGrant(msp.mspId, grant.id);
    expect(row).toMatchObject({ state: "ended", nextExpiryAttemptAt: null, passwordEnvelope: null });
    expect(row.usableTo).not.toBeNull();
    const gone = (await accountsOfGrant(tenant.id, grant)).users[0]!;
    expect(gone.accountEnabled).toBe(false);
    expect(gone.roles).toEqual([]);
    const steps = (await stepsOf(msp.mspId, grant.id)).filter((s) => s.step.startsWith("expiry:"));
    expect(steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      "expiry:disable:failed",
      "expiry:disable:failed",
      "expiry:disable:failed",
      "expiry:remove_roles:succeeded", "expiry:revoke_sessions:succeeded", "expiry:disable:succeeded", "expiry:rotate_password:succeeded",
    ]);
    expect(steps[0]!.detail).toMatch(/Insufficient privileges/);
    const actions = (await auditOf(sql, msp.mspId, { targetId: grant.id })).map((e) => e.action);
    expect(actions.slice(-4)).toEqual(["grant.expiring", "grant.irrevocable", "grant.revocation_retry_failed", "grant.ended"]);
  });
});
