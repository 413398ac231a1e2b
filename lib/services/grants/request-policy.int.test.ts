import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { AppError } from "@/lib/errors";
import { createAccessLevel } from "@/lib/services/access-levels/create";
import { setAccessLevelForCustomer } from "@/lib/services/access-levels/enable-for-customer";
import { closeQueues, queue } from "@/lib/queue/producer";
import { systemContext } from "@/lib/services/context";
import { contextFor, expectAppError, seedMspDirectly, superuserSql, type TestMsp } from "@/test/factories";
import { auditOf, deleteQueueKeys, graphRequests, readGrant, useTestQueuePrefix } from "@/test/grant-harness";
import { HELPDESK_ADMINISTRATOR, jitReadyCustomer } from "@/test/grants";
import { provisionGrant } from "./provision";
import { GrantDenied, requestGrant } from "./request";
import { sweepDueGrants } from "./sweep";

// The request policy (one live grant per technician and customer, delegation, duration, consent text,
// connection), its audit trail, and scheduled starts.

const prefix = useTestQueuePrefix("policy");
let msp: TestMsp;
let sql: postgres.Sql;

beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Policy MSP" });
  sql = superuserSql();
});
afterAll(async () => {
  await closeQueues();
  await deleteQueueKeys(prefix);
  await sql.end();
  await closeDb();
});

const justification = "Ticket 3003: policy test request";

describe("one live grant per technician and customer", () => {
  it("refuses a second request with a conflict naming the live grant", async () => {
    const { customer, level, technician } = await jitReadyCustomer(msp);
    const ctx = contextFor(technician);
    const form = { customerId: customer.id, accessLevelIds: [level.id], durationMinutes: 30, justification };
    const first = await requestGrant(ctx, form);

    const err = await expectAppError(requestGrant(ctx, form), "conflict");
    expect(err).toBeInstanceOf(GrantDenied);
    expect(err.details).toMatchObject({ existingGrantId: first.id, reasons: [{ code: "live_grant_exists" }] });
    expect(err.message).toBe(`You already have access to ${customer.name}. Extend it instead.`);
    const [denied] = await auditOf(sql, msp.mspId, { action: "grant.request_denied", targetId: customer.id });
    expect(denied).toMatchObject({ result: "failure", actor_id: technician.id, metadata: { reasons: ["live_grant_exists"] } });
  });

  it("two requests at the same moment make exactly one grant", async () => {
    const { customer, level, technician } = await jitReadyCustomer(msp);
    const ctx = contextFor(technician);
    const form = { customerId: customer.id, accessLevelIds: [level.id], durationMinutes: 30, justification };

    const outcomes = await Promise.allSettled([requestGrant(ctx, form), requestGrant(ctx, form), requestGrant(ctx, form)]);

    const made = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(made).toHaveLength(1);
    expect(refused).toHaveLength(2);
    for (const r of refused) expect(r.reason).toMatchObject({ code: "conflict", details: { existingGrantId: made[0]!.value.id } });
    const rows = await sql`select id from grants where customer_id = ${customer.id} and member_id = ${technician.id}`;
    expect(rows.map((r) => r.id)).toEqual([made[0]!.value.id]);
  });
});

describe("policy denials are refused with reasons and audited", () => {
  async function expectDenied(setup: Awaited<ReturnType<typeof jitReadyCustomer>>, form: Record<string, unknown>, codes: string[], message: string) {
    const before = (await auditOf(sql, msp.mspId, { action: "grant.request_denied", targetId: setup.customer.id })).length;
    const err = await requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, justification, ...form }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrantDenied);
    const denied = err as GrantDenied;
    expect(denied.code).toBe("validation_failed");
    expect(denied.reasons.map((r) => r.code)).toEqual(codes);
    expect(denied.message).toBe(message);
    const events = await auditOf(sql, msp.mspId, { action: "grant.request_denied", targetId: setup.customer.id });
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ result: "failure", actor_type: "member", actor_id: setup.technician.id, reason: message, metadata: { reasons: codes } });
    const grants = await sql`select id from grants where customer_id = ${setup.customer.id}`;
    expect(grants).toEqual([]);
    return denied;
  }

  it("an access level that is enabled on the customer but not delegated to the technician", async () => {
    const setup = await jitReadyCustomer(msp);
    const owner = contextFor(msp.owner);
    const other = await createAccessLevel(owner, { name: `Not delegated ${setup.customer.id.slice(-5)}`, roleTemplateIds: [HELPDESK_ADMINISTRATOR] });
    await setAccessLevelForCustomer(owner, setup.customer.id, other.id, { enabled: true });
    const denied = await expectDenied(setup, { accessLevelIds: [other.id], durationMinutes: 30 }, ["access_level_not_delegated"], `Not delegated to you on ${setup.customer.name}: ${other.id}.`);
    expect(denied.field).toBe("accessLevelIds");
  });

  it("a duration over the stricter of the delegation's and the customer's limits", async () => {
    const setup = await jitReadyCustomer(msp, { maxDurationMinutes: 60 });
    // The delegation allows 60; the customer 480: the delegation is stricter.
    await sql`update customers set max_duration_minutes = 480 where id = ${setup.customer.id}`;
    await expectDenied(setup, { accessLevelIds: [setup.level.id], durationMinutes: 90 }, ["duration_too_long"], "durationMinutes: at most 60 minutes here.");
    // The customer now allows 30, the delegation still 60: the customer is stricter.
    await sql`update customers set max_duration_minutes = 30 where id = ${setup.customer.id}`;
    const denied = await expectDenied(setup, { accessLevelIds: [setup.level.id], durationMinutes: 45 }, ["duration_too_long"], "durationMinutes: at most 30 minutes here.");
    expect(denied.field).toBe("durationMinutes");
  });

  it("the customer's consent text not accepted (and accepted: allowed, with the time recorded)", async () => {
    const setup = await jitReadyCustomer(msp);
    await sql`update customers set consent_text = 'Access is logged and may be reviewed by our security team.' where id = ${setup.customer.id}`;
    const form = { accessLevelIds: [setup.level.id], durationMinutes: 30 };
    await expectDenied(setup, form, ["consent_required"], `Accept ${setup.customer.name}'s terms to request access.`);
    const before = Date.now();
    const grant = await requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, justification, ...form, consentAccepted: true });
    expect(grant.consentAcceptedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
  });

  it("a customer whose Entra ID is not connected", async () => {
    const setup = await jitReadyCustomer(msp);
    await sql`update entra_connections set status = 'disconnected' where customer_id = ${setup.customer.id}`;
    await expectDenied(setup, { accessLevelIds: [setup.level.id], durationMinutes: 30 }, ["not_connected"], `${setup.customer.name}'s Entra ID is not connected.`);
  });

  it("several reasons at once are all named", async () => {
    const setup = await jitReadyCustomer(msp, { maxDurationMinutes: 60 });
    await sql`update customers set consent_text = 'Logged.' where id = ${setup.customer.id}`;
    const denied = await expectDenied(
      setup,
      { accessLevelIds: [setup.level.id], durationMinutes: 120 },
      ["duration_too_long", "consent_required"],
      `durationMinutes: at most 60 minutes here. Accept ${setup.customer.name}'s terms to request access.`,
    );
    expect(denied).toBeInstanceOf(AppError);
  });
});

describe("scheduled start", () => {
  it("does nothing before startAt; when due, the sweeper queues provisioning even if the timer was lost", async () => {
    const { tenant, customer, level, technician } = await jitReadyCustomer(msp);
    const startAt = new Date(Date.now() + 3600_000);
    const grant = await requestGrant(contextFor(technician), { customerId: customer.id, accessLevelIds: [level.id], durationMinutes: 30, justification, startAt });
    expect(grant).toMatchObject({ state: "approved", startAt, endsAt: null });

    const timer = await queue("provisioning").getJob(`provision-${grant.id}`);
    expect(await timer!.getState()).toBe("delayed");
    expect(timer!.opts.delay).toBeGreaterThan(3500_000);
    expect(timer!.data).toEqual({ mspId: msp.mspId, grantId: grant.id });

    // An early run (a stray retry, a sweep) is a no-op: no Graph call, still approved.
    expect(await provisionGrant(systemContext(msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "approved", skipped: true });
    expect(await graphRequests(tenant.id)).toEqual([]);
    await sweepDueGrants();
    expect(await timer!.getState()).toBe("delayed");

    // The start comes and Redis has lost the timer: the sweeper queues the job from the row.
    await sql`update grants set start_at = now() - interval '1 second' where id = ${grant.id}`;
    await timer!.remove();
    const swept = await sweepDueGrants();
    expect(swept.provisioning).toBeGreaterThanOrEqual(1);
    const requeued = await queue("provisioning").getJob(`provision-${grant.id}`);
    expect(await requeued!.getState()).toBe("waiting");

    expect(await provisionGrant(systemContext(msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    const row = await readGrant(msp.mspId, grant.id);
    expect(row.endsAt!.getTime() - row.usableFrom!.getTime()).toBe(30 * 60_000);
  });
});
