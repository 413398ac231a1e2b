import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appOrigin } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { SESSION_COOKIE } from "@/lib/http/cookies";
import { createToken } from "@/lib/services/tokens/create";
import { bearer, freshIp } from "@/lib/services/tokens/test-helpers";
import { seedMspDirectly, steppedUpContext, type TestMember, type TestMsp } from "@/test/factories";
import { insertActiveGrant, jitReadyCustomer } from "@/test/grants";
import { POST as issueRoute } from "./grants/[grantId]/launch-ticket/route";
import { POST as redeemRoute } from "./launch-tickets/redeem/route";

/**
 * The extension's two calls through the real route handlers: issue a launch ticket for a
 * grant with an access token, redeem it once for the credential with the same token. The service's own
 * rules are covered by lib/services/tickets/tickets.int.test.ts; this suite checks the wire.
 */

let msp: TestMsp;
let setup: Awaited<ReturnType<typeof jitReadyCustomer>>;
beforeAll(async () => {
  msp = await seedMspDirectly({ mspName: "Launch tickets API MSP" });
  setup = await jitReadyCustomer(msp);
}, 120_000);

const PASSWORD_PREFIX = "Launch-Ticket-Api-Secret-";

/** An active grant of `member` with a sealed password, inserted directly (no provisioning). */
async function activeGrant(member: TestMember = setup.technician) {
  const password = `${PASSWORD_PREFIX}${Math.random().toString(36).slice(2)}`;
  const { id, upn } = await insertActiveGrant({ mspId: msp.mspId, customerId: setup.customer.id, memberId: member.id, tenantId: setup.tenant.id, domain: setup.domain, password });
  return { id, password, upn };
}

async function tokenOf(member: TestMember, type: "extension" | "personal" = "extension", scopes = ["credentials:read"]) {
  return (await createToken(await steppedUpContext(member), { name: `Launch ${type}`, scopes, expiresInDays: 7 }, { type })).token;
}

type Caller = { auth?: string; cookie?: string };

function headersFor(caller: Caller): Record<string, string> {
  const headers: Record<string, string> = { [CLIENT_ADDRESS_HEADER]: freshIp(), "user-agent": "vitest launch tickets", "content-type": "application/json" };
  if (caller.auth) headers.authorization = caller.auth;
  if (caller.cookie) {
    headers.cookie = `${SESSION_COOKIE}=${caller.cookie}`;
    headers.origin = appOrigin; // same-origin: the refusal must come from the launch-ticket rules, not CSRF
  }
  return headers;
}

async function answer(res: Response) {
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as Record<string, unknown> & { error?: { code: string } }, headers: res.headers };
}

async function issue(caller: Caller, grantId: string) {
  const req = new NextRequest(`http://localhost:3000/api/v1/grants/${grantId}/launch-ticket`, { method: "POST", headers: headersFor(caller) });
  return answer(await issueRoute(req, { params: Promise.resolve({ grantId }) }));
}

async function redeem(caller: Caller, ticket: string) {
  const req = new NextRequest("http://localhost:3000/api/v1/launch-tickets/redeem", { method: "POST", headers: headersFor(caller), body: JSON.stringify({ ticket }) });
  return answer(await redeemRoute(req, { params: Promise.resolve({}) }));
}

describe("POST /grants/{grantId}/launch-ticket and /launch-tickets/redeem", () => {
  it.each(["extension", "personal"] as const)("a %s token gets a ticket and redeems it once for the credential; a second redemption is 410", async (type) => {
    const grant = await activeGrant();
    const token = bearer(await tokenOf(setup.technician, type));

    const issued = await issue({ auth: token }, grant.id);
    expect(issued.status, JSON.stringify(issued.json)).toBe(201);
    expect(issued.json).toEqual({ ticket: expect.any(String), expiresAt: expect.any(String), signInUrl: `https://portal.azure.com/${setup.tenant.id}`, tenantId: setup.tenant.id });
    expect(issued.headers.get("cache-control")).toBe("no-store");
    const ticket = issued.json.ticket as string;
    const ttl = new Date(issued.json.expiresAt as string).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(JSON.stringify(issued.json)).not.toContain(grant.password);

    const first = await redeem({ auth: token }, ticket);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect(first.json).toEqual({
      userPrincipalName: grant.upn,
      signInMethod: "password",
      temporaryAccessPass: null,
      temporaryAccessPassExpiresAt: null,
      password: grant.password,
      tenantId: setup.tenant.id,
    });
    expect(first.headers.get("cache-control")).toBe("no-store");

    const second = await redeem({ auth: token }, ticket);
    expect(second.status).toBe(410);
    expect(second.json.error?.code).toBe("gone");
    expect(JSON.stringify(second.json)).not.toContain(grant.password);
  });

  it("refuses a console session caller, on both calls", async () => {
    const grant = await activeGrant();
    const session = { cookie: setup.technician.session.token };
    const issued = await issue(session, grant.id);
    expect(issued.status).toBe(403);
    expect(issued.json.error?.code).toBe("forbidden");

    const token = bearer(await tokenOf(setup.technician));
    const { json } = await issue({ auth: token }, grant.id);
    const redeemed = await redeem(session, json.ticket as string);
    expect(redeemed.status).toBe(403);
    expect(redeemed.json.error?.code).toBe("forbidden");
    // Nothing was consumed: the bound token still redeems it.
    expect((await redeem({ auth: token }, json.ticket as string)).json.password).toBe(grant.password);
  });

  it("refuses a ticket presented with another token, even of the same owner, without spending it", async () => {
    const grant = await activeGrant();
    const token = bearer(await tokenOf(setup.technician));
    const other = bearer(await tokenOf(setup.technician));
    const { json } = await issue({ auth: token }, grant.id);
    const ticket = json.ticket as string;

    const refused = await redeem({ auth: other }, ticket);
    expect(refused.status).toBe(403);
    expect(refused.json.error?.code).toBe("forbidden");
    expect(JSON.stringify(refused.json)).not.toContain(grant.password);

    const owners = await redeem({ auth: bearer(await tokenOf(msp.owner)) }, ticket);
    expect(owners.status).toBe(403);

    expect((await redeem({ auth: token }, ticket)).json.password).toBe(grant.password);
  });

  it("issues nothing for another member's grant, nor to a token without credentials:read", async () => {
    const grant = await activeGrant();
    expect((await issue({ auth: bearer(await tokenOf(msp.owner)) }, grant.id)).status).toBe(404);
    expect((await issue({ auth: bearer(await tokenOf(setup.technician, "extension", ["grants:read"])) }, grant.id)).status).toBe(403);
  });
});
