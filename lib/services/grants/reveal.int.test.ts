import type postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDb } from "@/db/client";
import { closeQueues } from "@/lib/queue/producer";
import { systemContext, type ServiceContext } from "@/lib/services/context";
import { resolveSession } from "@/lib/services/sessions/resolve";
import { contextFor, expectAppError, inviteMember, seedMspDirectly, stepUp, superuserSql, testRequest, type TestMember, type TestMsp } from "@/test/factories";
import { accountsOfGrant, auditOf, deleteQueueKeys, redisTextUnder, useTestQueuePrefix } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { endGrant } from "./end";
import { expireGrant } from "./expire";
import { provisionGrant } from "./provision";
import { requestGrant } from "./request";
import { revealCredential } from "./reveal-credential";

// Everything Stint logs in this file, at every level, so the JIT password can be looked for in it.
const { logLines } = vi.hoisted(() => ({ logLines: [] as string[] }));
vi.mock("@/lib/logger", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/logger")>();
  const logger = actual.createLogger({ write: (line: string) => void logLines.push(line) });
  logger.level = "trace";
  return { ...actual, logger };
});

const prefix = useTestQueuePrefix("reveal");
let msp: TestMsp;
let sql: postgres.Sql;

beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Reveal MSP" });
  sql = superuserSql();
});
afterAll(async () => {
  await closeQueues();
  await deleteQueueKeys(prefix);
  await sql.end();
  await closeDb();
});

/** What lib/http builds for a request carrying this session token: steppedUpAt as the session row says now. */
async function requestContext(token: string): Promise<ServiceContext> {
  const session = await resolveSession(token);
  if (!session) throw new Error("the session is not valid");
  return {
    mspId: session.mspId,
    actor: { type: "member", memberId: session.member.id, role: session.member.role, label: session.member.email, sessionId: session.sessionId },
    request: testRequest,
    steppedUpAt: session.steppedUpAt,
  };
}

async function activeGrantOf() {
  const setup = await jitReadyCustomer(msp);
  const grant = await requestGrant(contextFor(setup.technician), {
    customerId: setup.customer.id,
    accessLevelIds: [setup.level.id],
    durationMinutes: 30,
    justification: "Ticket 5005: reveal the credential",
  });
  expect(await provisionGrant(systemContext(msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
  return { ...setup, grant };
}

async function steppedUp(member: TestMember) {
  const { token } = await stepUp(member);
  return { token, ctx: await requestContext(token) };
}

describe("revealing the JIT credential", () => {
  it("needs a fresh step-up, uses it up, is the owner's alone, and is audited", async () => {
    const { tenant, grant, technician } = await activeGrantOf();
    await expectAppError(revealCredential(contextFor(technician), grant.id), "step_up_required");
    await expectAppError(revealCredential(contextFor(technician, { stepUp: "stale" }), grant.id), "step_up_required");

    const { token, ctx } = await steppedUp(technician);
    const credential = await revealCredential(ctx, grant.id);
    expect(credential.userPrincipalName).toBe(grant.upn);
    expect(credential.endsAt).toEqual((await sql`select ends_at from grants where id = ${grant.id}`)[0]!.ends_at);
    const [account] = (await accountsOfGrant(tenant.id, grant)).users;
    expect(credential.password).toBe(account!.password);

    // The next request in the same session has no step-up left.
    const next = await requestContext(token);
    expect(next.steppedUpAt).toBeNull();
    await expectAppError(revealCredential(next, grant.id), "step_up_required");
    // A new step-up allows exactly one more.
    const again = await steppedUp(technician);
    expect((await revealCredential(again.ctx, grant.id)).password).toBe(credential.password);
    await expectAppError(revealCredential(await requestContext(again.token), grant.id), "step_up_required");

    // Nobody else, however senior: not even a hint that the grant exists.
    const colleague = await inviteMember(msp.owner, "technician");
    await expectAppError(revealCredential((await steppedUp(colleague)).ctx, grant.id), "not_found");
    await expectAppError(revealCredential((await steppedUp(msp.owner)).ctx, grant.id), "not_found");

    const reveals = await auditOf(sql, msp.mspId, { action: "grant.credential_revealed", targetId: grant.id });
    expect(reveals).toHaveLength(2);
    for (const e of reveals) expect(e).toMatchObject({ result: "success", actor_type: "member", actor_id: technician.id, target_type: "grant" });
  });

  it("one step-up cannot be spent by two requests in flight", async () => {
    const { grant, technician } = await activeGrantOf();
    const { token } = await stepUp(technician);
    const [a, b] = [await requestContext(token), await requestContext(token)];
    const outcomes = await Promise.allSettled([revealCredential(a, grant.id), revealCredential(b, grant.id)]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
  });

  it("the password appears nowhere but in the reveal: not in audit events, the timeline, Redis job data or logs", async () => {
    const { grant, technician, tenant } = await activeGrantOf();
    const { password } = await revealCredential((await steppedUp(technician)).ctx, grant.id);
    expect(password).toHaveLength(24);
    // End it too, so the expiry steps, their audit events and the expiry job data are in the search as well.
    await endGrant(contextFor(technician), grant.id, "ended_by_technician");
    expect(await expireGrant(systemContext(msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });
    const [account] = (await accountsOfGrant(tenant.id, grant)).users;
    expect(account!.password).not.toBe(password);
    await expectAppError(revealCredential((await steppedUp(technician)).ctx, grant.id), "conflict");

    const audit = await sql`select row_to_json(a)::text as row from audit_events a where msp_id = ${msp.mspId}`;
    const steps = await sql`select row_to_json(s)::text as row from grant_steps s where grant_id = ${grant.id}`;
    const grants = await sql`select row_to_json(g)::text as row from grants g where id = ${grant.id}`;
    expect(audit.length).toBeGreaterThan(5);
    expect(steps.length).toBeGreaterThan(5);
    for (const { row } of [...audit, ...steps, ...grants]) expect(row).not.toContain(password);
    expect(grants[0]!.row).toContain('"password_envelope":null');

    const redis = await redisTextUnder(prefix);
    expect(redis).toContain(grant.id);
    expect(redis).not.toContain(password);

    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("")).not.toContain(password);
  });
});
