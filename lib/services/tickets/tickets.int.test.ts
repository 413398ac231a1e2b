import { drizzle } from "drizzle-orm/postgres-js";
import { and, desc, eq, sql as dsql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import * as schema from "@/db/schema";
import { acceptedTickets, auditEvents, grants } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { encryptSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import { requireDatabaseUrl } from "@/lib/env";
import { newId } from "@/lib/ids";
import { passwordContext, tapContext } from "@/lib/services/grants/credential";
import { revealCredentialByToken } from "@/lib/services/grants/reveal-credential-by-token";
import { cleanupExpired } from "@/lib/services/sessions/cleanup";
import { authenticateToken } from "@/lib/services/tokens/authenticate";
import { createToken } from "@/lib/services/tokens/create";
import { bearer, requestFrom, setTokenRow } from "@/lib/services/tokens/test-helpers";
import { verifyLaunchTicket } from "@/lib/tickets/launch-ticket";
import { contextFor, expectAppError, seedMspDirectly, steppedUpContext, superuserSql, type TestMember, type TestMsp } from "@/test/factories";
import { jitReadyCustomer } from "@/test/grants";
import { acceptTicket, redeemLaunchTicket } from "./redeem-launch-ticket";
import { issueLaunchTicketForGrant } from "./issue-launch-ticket";

afterAll(closeDb);

let msp: TestMsp;
let setup: Awaited<ReturnType<typeof jitReadyCustomer>>;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Launch tickets MSP" });
  setup = await jitReadyCustomer(msp);
});

const PASSWORD_PREFIX = "Launch-Ticket-Secret-";

/** An active grant of `member` with a sealed password, inserted directly (no provisioning). */
async function activeGrant(member: TestMember = setup.technician) {
  const id = newId("grant");
  const password = `${PASSWORD_PREFIX}${id}`;
  await systemTxBypassingRls((tx) =>
    tx.insert(grants).values({
      id, mspId: msp.mspId, customerId: setup.customer.id, memberId: member.id, state: "active", accessLevelIds: [], roleTemplateIds: [],
      expiryActions: ["remove_roles", "disable"], durationMinutes: 60, justification: "launch ticket test", startAt: new Date(),
      upn: `launch-${id.slice(-6).toLowerCase()}@${setup.domain}`, displayName: "launch", entraTenantId: setup.tenant.id,
      passwordEnvelope: encryptSecret(keyRing(), password, passwordContext(id)),
    }),
  );
  return { id, password };
}

/** The context lib/http builds for a request with this token: authenticated for real. */
async function tokenContext(member: TestMember, input: { type?: "extension" | "personal"; scopes?: string[]; customerIds?: string[] } = {}) {
  const created = await createToken(
    await steppedUpContext(member),
    { name: "Extension", scopes: input.scopes ?? ["credentials:read"], expiresInDays: 7 },
    { type: input.type ?? "extension" },
  );
  // Written directly: a customer restriction the owner could not choose today (e.g. a delegation since removed).
  if (input.customerIds) await setTokenRow(created.id, { customerIds: input.customerIds });
  return authenticateToken(bearer(created.token), requestFrom());
}

async function eventsOf(action: string, grantId: string) {
  return systemTxBypassingRls((tx) =>
    tx.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, grantId))).orderBy(desc(auditEvents.seq)),
  );
}

/** An active grant that signs in with a Temporary Access Pass, sealed like the password (no password kept). */
async function activePassGrant(member: TestMember = setup.technician) {
  const id = newId("grant");
  const pass = `Tap+${id.slice(-8)}`;
  const expiresAt = new Date(Date.now() + 3600_000);
  await systemTxBypassingRls((tx) =>
    tx.insert(grants).values({
      id, mspId: msp.mspId, customerId: setup.customer.id, memberId: member.id, state: "active", accessLevelIds: [], roleTemplateIds: [],
      expiryActions: ["remove_roles", "remove_tap", "disable"], durationMinutes: 60, justification: "launch ticket test", startAt: new Date(),
      upn: `launch-${id.slice(-6).toLowerCase()}@${setup.domain}`, displayName: "launch", entraTenantId: setup.tenant.id,
      signInMethod: "tap", tapEnvelope: encryptSecret(keyRing(), pass, tapContext(id)), tapMethodId: "tap-1", tapExpiresAt: expiresAt,
    }),
  );
  return { id, pass, expiresAt };
}

describe("launch tickets", () => {
  it("a pass grant's ticket redeems for its Temporary Access Pass and no password", async () => {
    const grant = await activePassGrant();
    const ctx = await tokenContext(setup.technician);
    const issued = await issueLaunchTicketForGrant(ctx, grant.id);
    expect(await redeemLaunchTicket(ctx, issued.ticket)).toEqual({
      userPrincipalName: expect.stringMatching(/^launch-/),
      signInMethod: "tap",
      temporaryAccessPass: grant.pass,
      temporaryAccessPassExpiresAt: grant.expiresAt,
      password: null,
      tenantId: setup.tenant.id,
    });
  });

  it("issues a ≤ 60 s ticket bound to (grant, member, token) and redeems it once for the credential; both audited", async () => {
    const grant = await activeGrant();
    const ctx = await tokenContext(setup.technician);
    const issued = await issueLaunchTicketForGrant(ctx, grant.id);
    expect(issued.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(60_000);
    // Where the extension opens the sign-in: EXTENSION_SIGN_IN_URL's default, for the grant's tenant.
    expect(issued.signInUrl).toBe(`https://portal.azure.com/${setup.tenant.id}`);
    const verified = verifyLaunchTicket(issued.ticket);
    expect(verified).toMatchObject({ ok: true, claims: { grantId: grant.id, memberId: setup.technician.id, tokenId: ctx.actor.tokenId, mspId: msp.mspId, typ: "launch" } });
    expect(Buffer.from(issued.ticket.split(".")[0]!, "base64url").toString()).not.toContain(grant.password);

    const credential = await redeemLaunchTicket(ctx, issued.ticket);
    expect(credential).toEqual({
      userPrincipalName: expect.stringMatching(/^launch-/),
      signInMethod: "password",
      temporaryAccessPass: null,
      temporaryAccessPassExpiresAt: null,
      password: grant.password,
      tenantId: setup.tenant.id,
    });

    const [issuedEvent] = await eventsOf("grant.launch_ticket_issued", grant.id);
    expect(issuedEvent).toMatchObject({ actorId: setup.technician.id, result: "success", metadata: { viaToken: ctx.actor.tokenId } });
    const [redeemed] = await eventsOf("grant.launch_ticket_redeemed", grant.id);
    expect(redeemed).toMatchObject({ result: "success", metadata: { viaToken: ctx.actor.tokenId, path: "launch_ticket" } });

    // The accepted-tickets row holds the binding, never the password nor the ticket.
    const su = superuserSql();
    try {
      const rows = await su`select * from accepted_tickets where grant_id = ${grant.id}`;
      expect(rows).toHaveLength(1);
      const text = JSON.stringify(rows);
      expect(text).not.toContain(grant.password);
      expect(text).not.toContain(issued.ticket.split(".")[1]!);
      const audit = JSON.stringify(await su`select * from audit_events where target_id = ${grant.id}`);
      expect(audit).not.toContain(grant.password);
      expect(audit).not.toContain(issued.ticket.split(".")[1]!);
    } finally {
      await su.end();
    }
  });

  it("refuses a second redemption, audited as a replay", async () => {
    const grant = await activeGrant();
    const ctx = await tokenContext(setup.technician);
    const { ticket } = await issueLaunchTicketForGrant(ctx, grant.id);
    await redeemLaunchTicket(ctx, ticket);
    const error = await expectAppError(redeemLaunchTicket(ctx, ticket), "gone");
    expect(error.message).toBe("This ticket was already used.");
    const [replay] = await eventsOf("grant.launch_ticket_redeemed", grant.id);
    expect(replay).toMatchObject({ result: "failure", reason: "replay" });
  });

  it("lets exactly one of two concurrent redemptions through", async () => {
    const grant = await activeGrant();
    const ctx = await tokenContext(setup.technician);
    const { ticket } = await issueLaunchTicketForGrant(ctx, grant.id);
    const outcomes = await Promise.allSettled([redeemLaunchTicket(ctx, ticket), redeemLaunchTicket(ctx, ticket)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === "rejected").map((o) => (o as PromiseRejectedResult).reason.code)).toEqual(["gone"]);
  });

  it("accepts a jti once across two independent pools (two instances), even while the first is uncommitted", async () => {
    const grant = await activeGrant();
    const ctx = await tokenContext(setup.technician);
    const { ticket } = await issueLaunchTicketForGrant(ctx, grant.id);
    const verified = verifyLaunchTicket(ticket);
    if (!verified.ok) throw new Error("ticket did not verify");
    const clients = [postgres(requireDatabaseUrl(), { max: 1, onnotice: () => {} }), postgres(requireDatabaseUrl(), { max: 1, onnotice: () => {} })];
    try {
      const instances = clients.map((client) => drizzle({ client, schema }));
      const accepted = await Promise.all(
        instances.map((db) =>
          db.transaction(async (tx) => {
            await tx.execute(dsql`set local role stint_app`);
            await tx.execute(dsql`select set_config('app.msp_id', ${msp.mspId}, true)`);
            const ok = await acceptTicket(tx, verified.claims);
            // Hold the transaction open so the other instance's insert has to wait on it.
            await tx.execute(dsql`select pg_sleep(0.3)`);
            return ok;
          }),
        ),
      );
      expect(accepted.filter(Boolean)).toHaveLength(1);
      const backends = await Promise.all(clients.map((c) => c`select pg_backend_pid() as pid`));
      expect(backends[0]![0]!.pid).not.toBe(backends[1]![0]!.pid);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    // Spent for the service as well.
    await expectAppError(redeemLaunchTicket(ctx, ticket), "gone");
  });

  it("refuses an expired ticket and a tampered one, consuming nothing", async () => {
    const grant = await activeGrant();
    const ctx = await tokenContext(setup.technician);
    const { ticket } = await issueLaunchTicketForGrant(ctx, grant.id);
    await expectAppError(redeemLaunchTicket(ctx, ticket, { now: new Date(Date.now() + 61_000) }), "gone");
    const [payload, signature] = ticket.split(".") as [string, string];
    const tampered = `${payload}.${signature.slice(0, -2)}${signature.at(-2) === "A" ? "B" : "A"}${signature.at(-1)}`;
    await expectAppError(redeemLaunchTicket(ctx, tampered), "forbidden");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString()) as Record<string, unknown>;
    const forged = `${Buffer.from(JSON.stringify({ ...claims, exp: (claims.exp as number) + 3600 })).toString("base64url")}.${signature}`;
    await expectAppError(redeemLaunchTicket(ctx, forged), "forbidden");
    const rows = await systemTxBypassingRls((tx) => tx.select().from(acceptedTickets).where(eq(acceptedTickets.grantId, grant.id)));
    expect(rows).toHaveLength(0);
    expect((await redeemLaunchTicket(ctx, ticket)).password).toBe(grant.password);
  });

  it("refuses a ticket presented with another token, even of the same owner", async () => {
    const grant = await activeGrant();
    const ctx = await tokenContext(setup.technician);
    const other = await tokenContext(setup.technician);
    const { ticket } = await issueLaunchTicketForGrant(ctx, grant.id);
    await expectAppError(redeemLaunchTicket(other, ticket), "forbidden");
    const [event] = await eventsOf("grant.launch_ticket_redeemed", grant.id);
    expect(event).toMatchObject({ result: "failure", reason: "wrong_token" });
    expect((await redeemLaunchTicket(ctx, ticket)).password).toBe(grant.password);
  });

  it("refuses, and spends the ticket, when the grant ended between issue and redemption", async () => {
    const grant = await activeGrant();
    const ctx = await tokenContext(setup.technician);
    const { ticket } = await issueLaunchTicketForGrant(ctx, grant.id);
    await systemTxBypassingRls((tx) => tx.update(grants).set({ state: "ended" as never }).where(eq(grants.id, grant.id)));
    await expectAppError(redeemLaunchTicket(ctx, ticket), "conflict");
    const [event] = await eventsOf("grant.launch_ticket_redeemed", grant.id);
    expect(event).toMatchObject({ result: "failure", reason: "grant_unavailable" });
    await systemTxBypassingRls((tx) => tx.update(grants).set({ state: "active" }).where(eq(grants.id, grant.id)));
    await expectAppError(redeemLaunchTicket(ctx, ticket), "gone");
  });

  it("issues only to a credentials:read token, for the owner's own grant within the token's customers", async () => {
    const grant = await activeGrant();
    await expectAppError(issueLaunchTicketForGrant(contextFor(setup.technician, { stepUp: "fresh" }), grant.id), "forbidden");
    await expectAppError(issueLaunchTicketForGrant(await tokenContext(setup.technician, { scopes: ["grants:read"] }), grant.id), "forbidden");
    await expectAppError(issueLaunchTicketForGrant(await tokenContext(msp.owner), grant.id), "not_found");
    await expectAppError(issueLaunchTicketForGrant(await tokenContext(setup.technician, { customerIds: [newId("customer")] }), grant.id), "not_found");
    const personal = await tokenContext(setup.technician, { type: "personal" });
    expect((await redeemLaunchTicket(personal, (await issueLaunchTicketForGrant(personal, grant.id)).ticket)).password).toBe(grant.password);
    // The shared helper keeps the token credential read working.
    expect((await revealCredentialByToken(personal, grant.id)).password).toBe(grant.password);
  });

  it("the extension's token reads a credential only through a launch ticket, never the direct credential read", async () => {
    const grant = await activeGrant();
    const extension = await tokenContext(setup.technician, { type: "extension" });
    await expectAppError(revealCredentialByToken(extension, grant.id), "forbidden");
    expect((await redeemLaunchTicket(extension, (await issueLaunchTicketForGrant(extension, grant.id)).ticket)).password).toBe(grant.password);
  });

  it("cleans up accepted tickets more than 10 minutes past their expiry", async () => {
    const grant = await activeGrant();
    const ctx = await tokenContext(setup.technician);
    const { ticket } = await issueLaunchTicketForGrant(ctx, grant.id);
    await redeemLaunchTicket(ctx, ticket);
    const result = await cleanupExpired(new Date(Date.now() + 5 * 60_000));
    expect(await systemTxBypassingRls((tx) => tx.select().from(acceptedTickets).where(eq(acceptedTickets.grantId, grant.id)))).toHaveLength(1);
    const later = await cleanupExpired(new Date(Date.now() + 12 * 60_000));
    expect(later.acceptedTickets).toBeGreaterThanOrEqual(1);
    expect(result.acceptedTickets).toBeGreaterThanOrEqual(0);
    expect(await systemTxBypassingRls((tx) => tx.select().from(acceptedTickets).where(eq(acceptedTickets.grantId, grant.id)))).toHaveLength(0);
  });
});
