import { beforeAll, describe, expect, it } from "vitest";
import type { TenantSnapshot } from "@/emulator/control/control";
import { consentedTenant, requestLog, setMisbehaviour, uniqueLabel } from "@/test/entra";
import { cloudConfig } from "./clouds";
import { coalescedUserCalls } from "./coalesced-user-calls";
import { EntraError } from "./errors";
import { graphFor } from "./graph";

const STRONG = "xWwvJ]6NMw+bWH-d";
const STRONGER = "Qp7!vR2#mZ9@kL4$";

let tenant: TenantSnapshot;
let domain: string;

beforeAll(async () => {
  const label = uniqueLabel("coalesce");
  domain = `${label}.onmicrosoft.com`;
  tenant = await consentedTenant("Coalesce", { domains: [domain] });
});

const graph = () => graphFor(cloudConfig("microsoft"), tenant.id);

async function newAccount(localPart: string): Promise<string> {
  const user = await graph().createUser({
    accountEnabled: true,
    displayName: localPart,
    mailNickname: localPart,
    userPrincipalName: `${localPart}@${domain}`,
    usageLocation: "US",
    passwordProfile: { password: STRONG, forceChangePasswordNextSignIn: false },
  });
  return user.id;
}

/** The Graph requests made for one user since `since`, as "METHOD path?query". */
async function callsFor(userId: string, since: string): Promise<string[]> {
  const log = await requestLog({ tenantId: tenant.id, surface: "graph" });
  return log.filter((e) => e.at >= since && e.path.includes(userId)).map((e) => `${e.method} ${decodeURIComponent(e.path.replace(/^\/v1\.0/, ""))}`);
}

const rejection = (promise: Promise<unknown>) => promise.then(() => null, (err: unknown) => err);

describe("coalescedUserCalls", () => {
  it("sends changes asked for together as one PATCH, and the reads after them as one GET of every property", async () => {
    const id = await newAccount("jit.joined");
    const since = new Date().toISOString();
    const calls = coalescedUserCalls(graph());
    const disable = calls.updateUser(id, { accountEnabled: false }).then(() => calls.getUser(id, "id,accountEnabled"));
    const password = calls
      .updateUser(id, { passwordProfile: { password: STRONGER, forceChangePasswordNextSignIn: false } })
      .then(() => calls.getUser(id, "id,lastPasswordChangeDateTime"));
    const [disabled, changed] = await Promise.all([disable, password]);

    expect(disabled.accountEnabled).toBe(false);
    expect(typeof (changed as Record<string, unknown>).lastPasswordChangeDateTime).toBe("string");
    expect(await callsFor(id, since)).toEqual([`PATCH /users/${id}`, `GET /users/${id}?$select=id,accountEnabled,lastPasswordChangeDateTime`]);
  });

  it("reads wait for a write to the same user in flight, so its read-back joins them", async () => {
    const id = await newAccount("jit.inflight");
    const since = new Date().toISOString();
    const calls = coalescedUserCalls(graph());
    const revoke = calls.revokeSignInSessions(id).then(() => calls.getUser(id, "id,signInSessionsValidFromDateTime"));
    const disable = calls.updateUser(id, { accountEnabled: false }).then(() => calls.getUser(id, "id,accountEnabled"));
    const [revoked, disabled] = await Promise.all([revoke, disable]);

    expect((revoked as Record<string, unknown>).signInSessionsValidFromDateTime).toEqual(expect.any(String));
    expect(disabled.accountEnabled).toBe(false);
    const made = await callsFor(id, since);
    expect(made.filter((c) => c.startsWith("GET"))).toEqual([`GET /users/${id}?$select=id,signInSessionsValidFromDateTime,accountEnabled`]);
    expect(made.at(-1)).toMatch(/^GET /);
  });

  it("sends a joined PATCH again one change at a time when Graph refuses it as a bad request", async () => {
    const id = await newAccount("jit.refused");
    const since = new Date().toISOString();
    const calls = coalescedUserCalls(graph());
    const [disabled, weak] = await Promise.all([
      rejection(calls.updateUser(id, { accountEnabled: false })),
      rejection(calls.updateUser(id, { passwordProfile: { password: "weak", forceChangePasswordNextSignIn: false } })),
    ]);

    expect(disabled).toBeNull();
    expect(weak).toBeInstanceOf(EntraError);
    expect((weak as EntraError).httpStatus).toBe(400);
    expect((await graph().getUser(id, "id,accountEnabled")).accountEnabled).toBe(false);
    expect((await callsFor(id, since)).filter((c) => c.startsWith("PATCH"))).toHaveLength(3);
  });

  it("gives every caller the error of a joined call Graph refuses for all of them", async () => {
    const id = await newAccount("jit.gone");
    await graph().deleteUser(id);
    const calls = coalescedUserCalls(graph());
    const errors = await Promise.all([
      rejection(calls.updateUser(id, { accountEnabled: false })),
      rejection(calls.updateUser(id, { passwordProfile: { password: STRONGER, forceChangePasswordNextSignIn: false } })),
      rejection(calls.getUser(id, "id,accountEnabled")),
    ]);
    for (const err of errors) expect((err as EntraError).httpStatus).toBe(404);
  });

  it("leaves calls for different users and reads without a selection apart", async () => {
    const [a, b] = await Promise.all([newAccount("jit.apart.a"), newAccount("jit.apart.b")]);
    const since = new Date().toISOString();
    const calls = coalescedUserCalls(graph());
    await Promise.all([calls.updateUser(a, { accountEnabled: false }), calls.updateUser(b, { accountEnabled: false })]);
    const [readA, readB] = await Promise.all([calls.getUser(a), calls.getUser(b, "id,accountEnabled")]);

    expect([readA.accountEnabled, readB.accountEnabled]).toEqual([false, false]);
    expect(await callsFor(a, since)).toEqual([`PATCH /users/${a}`, expect.stringMatching(new RegExp(`^GET /users/${a}\\?\\$select=id,userPrincipalName`))]);
    expect(await callsFor(b, since)).toEqual([`PATCH /users/${b}`, `GET /users/${b}?$select=id,accountEnabled`]);
  });

  it("still answers each caller when throttling holds the joined request back", async () => {
    const id = await newAccount("jit.throttled");
    await setMisbehaviour(tenant.id, { faults: { next: 1, rate: 0, status: 429, retryAfterSeconds: 0 } });
    try {
      const calls = coalescedUserCalls(graph());
      await Promise.all([calls.updateUser(id, { accountEnabled: false }), calls.updateUser(id, { passwordProfile: { password: STRONGER, forceChangePasswordNextSignIn: false } })]);
      expect((await calls.getUser(id, "id,accountEnabled")).accountEnabled).toBe(false);
    } finally {
      await setMisbehaviour(tenant.id, { faults: null });
    }
  });
});
