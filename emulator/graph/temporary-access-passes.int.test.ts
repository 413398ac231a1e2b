import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApplicationPermission } from "../catalog/permissions";
import type { TenantSeed } from "../control/schemas";
import { newUserBody, startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";

type ODataError = { error: { code: string; message: string } };
type Pass = {
  "@odata.context"?: string;
  "@odata.type": string;
  id: string;
  temporaryAccessPass: string | null;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string;
};

const tapPermissions: ApplicationPermission[] = ["User.ReadWrite.All", "UserAuthMethod-TAP.ReadWrite.All", "Policy.Read.AuthenticationMethod"];
const policyRefusal =
  "Converged UserCredentialPolicy does not allow creating or updating this authentication method. AuthMethodType [TemporaryAccessPass].";
const groupId = "6f1d2c3b-4a5e-4f60-8172-93a4b5c6d7e8";
const minute = 60_000;

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

/** A tenant with TAP switched on (unless the seed says otherwise) and an app holding the TAP permissions. */
function tapTenant(tenant: Partial<TenantSeed> = {}, permissions = tapPermissions): Promise<TenantApp> {
  return t.tenantWithApp({ permissions, tenant: { tapPolicy: { state: "enabled" }, ...tenant } });
}

async function createUser(c: TenantApp, localPart: string): Promise<{ id: string; upn: string }> {
  const response = await c.graph("POST", "/users", { json: newUserBody(c.domain, localPart) });
  expect(response.status, response.text).toBe(201);
  return { id: response.json<{ id: string }>().id, upn: `${localPart}@${c.domain}` };
}

const passes = (user: string) => `/users/${user}/authentication/temporaryAccessPassMethods`;

function createPass(c: TenantApp, user: string, body: Record<string, unknown> = {}) {
  return c.graph("POST", passes(user), { json: body });
}

describe("POST /users/{id | upn}/authentication/temporaryAccessPassMethods", () => {
  it("answers 201 with the pass, the policy's defaults and the documented shape", async () => {
    const c = await tapTenant();
    const user = await createUser(c, "ann");
    const before = Date.now();
    const response = await createPass(c, user.id);
    expect(response.status, response.text).toBe(201);
    const pass = response.json<Pass>();
    expect(pass).toEqual({
      "@odata.context": `${t.emulator.url}/v1.0/$metadata#users('${user.id}')/authentication/temporaryAccessPassMethods/$entity`,
      "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      temporaryAccessPass: expect.stringMatching(/^[A-Za-z0-9+&=#%@]{8}$/),
      createdDateTime: expect.any(String),
      startDateTime: pass.createdDateTime,
      lifetimeInMinutes: 60,
      isUsableOnce: false,
      isUsable: true,
      methodUsabilityReason: "EnabledByPolicy",
    });
    expect(Date.parse(pass.createdDateTime)).toBeGreaterThanOrEqual(before - 1000);
    expect(t.emulator.control.inspectTenant(c.tenant.id).users.find((u) => u.id === user.id)?.temporaryAccessPass).toEqual({
      ...pass,
      "@odata.context": undefined,
      "@odata.type": undefined,
    });
  });

  it("addresses the user by UPN, echoed in @odata.context", async () => {
    const c = await tapTenant();
    const user = await createUser(c, "bob");
    const response = await createPass(c, user.upn, { lifetimeInMinutes: 120 });
    expect(response.status).toBe(201);
    expect(response.json<Pass>()["@odata.context"]).toBe(
      `${t.emulator.url}/v1.0/$metadata#users('${encodeURIComponent(user.upn)}')/authentication/temporaryAccessPassMethods/$entity`,
    );
    expect(response.json<Pass>().lifetimeInMinutes).toBe(120);
  });

  it("keeps one pass per user: a second create replaces the first", async () => {
    const c = await tapTenant();
    const user = await createUser(c, "cay");
    const first = (await createPass(c, user.id)).json<Pass>();
    const second = (await createPass(c, user.id)).json<Pass>();
    expect(second.id).not.toBe(first.id);
    const list = (await c.graph("GET", passes(user.id))).json<{ value: Pass[] }>().value;
    expect(list.map((p) => p.id)).toEqual([second.id]);
    expect((await c.graph("GET", `${passes(user.id)}/${first.id}`)).status).toBe(404);
    expect(t.emulator.control.inspectTenant(c.tenant.id).users.find((u) => u.id === user.id)?.temporaryAccessPass?.temporaryAccessPass).toBe(
      second.temporaryAccessPass,
    );
  });

  it("uses the policy's length, default lifetime and one-time setting when the body leaves them out", async () => {
    const c = await tapTenant({ tapPolicy: { state: "enabled", defaultLength: 12, defaultLifetimeInMinutes: 90, isUsableOnce: true } });
    const user = await createUser(c, "dee");
    const response = await c.graph("POST", passes(user.id));
    expect(response.status, response.text).toBe(201);
    expect(response.json<Pass>()).toMatchObject({ lifetimeInMinutes: 90, isUsableOnce: true, temporaryAccessPass: expect.stringMatching(/^.{12}$/) });
  });

  it("checks the lifetime against 10–43,200 and the policy's minimum and maximum", async () => {
    const c = await tapTenant();
    const user = await createUser(c, "eve");
    for (const [minutes, range] of [[5, "10 and 43200"], [50_000, "10 and 43200"], [30, "60 and 480"], [481, "60 and 480"]] as const) {
      const response = await createPass(c, user.id, { lifetimeInMinutes: minutes });
      expect(response.status, String(minutes)).toBe(400);
      expect(response.json<ODataError>().error).toEqual(
        expect.objectContaining({ code: "badRequest", message: `lifetimeInMinutes must be between ${range} minutes; ${minutes} is outside that range.` }),
      );
    }
    expect((await createPass(c, user.id, { lifetimeInMinutes: 480 })).status).toBe(201);
  });

  it("refuses with Microsoft's policy message when TAP is disabled, the user is not targeted or excluded, or a multi-use pass is forced one-time", async () => {
    const refused = async (c: TenantApp, user: string, body: Record<string, unknown> = {}) => {
      const response = await createPass(c, user, body);
      expect(response.status).toBe(400);
      expect(response.json<ODataError>().error).toEqual(expect.objectContaining({ code: "badRequest", message: policyRefusal }));
    };
    const disabled = await t.tenantWithApp({ permissions: tapPermissions });
    await refused(disabled, (await createUser(disabled, "fay")).id);

    const grouped = await tapTenant({
      users: [
        { userPrincipalName: "member@grouped.example", displayName: "Member" },
        { userPrincipalName: "outsider@grouped.example", displayName: "Outsider" },
      ],
      domains: ["grouped.example"],
      groups: [{ id: groupId, displayName: "JIT admins", members: ["member@grouped.example"] }],
      tapPolicy: { state: "enabled", includeTargets: [{ id: groupId }] },
    });
    expect((await createPass(grouped, "member@grouped.example")).status).toBe(201);
    await refused(grouped, "outsider@grouped.example");

    t.emulator.control.setTapPolicy(grouped.tenant.id, { includeTargets: [{ id: "all_users" }], excludeTargets: [{ id: groupId }] });
    expect((await createPass(grouped, "outsider@grouped.example")).status).toBe(201);
    await refused(grouped, "member@grouped.example");

    t.emulator.control.setTapPolicy(grouped.tenant.id, { excludeTargets: [], isUsableOnce: true });
    await refused(grouped, "member@grouped.example", { isUsableOnce: false });
    expect((await createPass(grouped, "member@grouped.example", { isUsableOnce: true })).status).toBe(201);
  });

  it("rejects unknown properties and values of the wrong type", async () => {
    const c = await tapTenant();
    const user = await createUser(c, "gus");
    const unknown = await createPass(c, user.id, { temporaryAccessPass: "chosen-by-me" });
    expect(unknown.json<ODataError>().error).toEqual(expect.objectContaining({ code: "Request_BadRequest", message: "Invalid property 'temporaryAccessPass'." }));
    for (const body of [{ lifetimeInMinutes: "60" }, { isUsableOnce: "yes" }, { startDateTime: "tomorrow" }]) {
      const response = await createPass(c, user.id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.json<ODataError>().error.message).toMatch(/^Invalid value specified for property '\w+' of resource 'temporaryAccessPassAuthenticationMethod'\.$/);
    }
  });
});

describe("GET and DELETE …/temporaryAccessPassMethods", () => {
  it("lists and gets the pass without the pass itself, deletes it (204), then answers 404", async () => {
    const c = await tapTenant();
    const user = await createUser(c, "hal");
    expect((await c.graph("GET", passes(user.id))).json()).toEqual({
      "@odata.context": `${t.emulator.url}/v1.0/$metadata#users('${user.id}')/authentication/temporaryAccessPassMethods`,
      value: [],
    });
    const created = (await createPass(c, user.id)).json<Pass>();
    const listed = (await c.graph("GET", passes(user.upn))).json<{ value: Pass[] }>().value;
    expect(listed).toEqual([{ ...created, "@odata.context": undefined, temporaryAccessPass: null }]);
    expect(listed[0]).not.toHaveProperty("@odata.context");
    const got = await c.graph("GET", `${passes(user.id)}/${created.id}`);
    expect(got.json()).toEqual({ ...created, temporaryAccessPass: null });

    expect((await c.graph("DELETE", `${passes(user.id)}/${created.id}`)).status).toBe(204);
    expect((await c.graph("GET", passes(user.id))).json<{ value: Pass[] }>().value).toEqual([]);
    const again = await c.graph("DELETE", `${passes(user.id)}/${created.id}`);
    expect(again.status).toBe(404);
    expect(again.json<ODataError>().error).toEqual(
      expect.objectContaining({ code: "Request_ResourceNotFound", message: `Resource '${created.id}' does not exist or one of its queried reference-property objects are not present.` }),
    );
  });
});

describe("usability, computed when read", () => {
  const reason = async (c: TenantApp, user: string) => {
    const [pass] = (await c.graph("GET", passes(user))).json<{ value: Pass[] }>().value;
    return [pass?.isUsable, pass?.methodUsabilityReason];
  };

  it("is NotYetValid before startDateTime and Expired after startDateTime + lifetime", async () => {
    const c = await tapTenant({ tapPolicy: { state: "enabled", minimumLifetimeInMinutes: 10 } });
    const early = await createUser(c, "ida");
    const start = new Date(Date.now() + 24 * 60 * minute).toISOString();
    const created = (await createPass(c, early.id, { startDateTime: start })).json<Pass>();
    expect(created).toMatchObject({ startDateTime: start, isUsable: false, methodUsabilityReason: "NotYetValid" });
    expect(await reason(c, early.id)).toEqual([false, "NotYetValid"]);

    const late = await createUser(c, "jon");
    await createPass(c, late.id, { startDateTime: new Date(Date.now() - 11 * minute).toISOString(), lifetimeInMinutes: 10 });
    expect(await reason(c, late.id)).toEqual([false, "Expired"]);

    const current = await createUser(c, "kit");
    await createPass(c, current.id, { startDateTime: new Date(Date.now() - 9 * minute).toISOString(), lifetimeInMinutes: 10 });
    expect(await reason(c, current.id)).toEqual([true, "EnabledByPolicy"]);
  });

  it("is DisabledByPolicy once the policy is switched off or no longer targets the user", async () => {
    const c = await tapTenant();
    const user = await createUser(c, "lou");
    await createPass(c, user.id);
    t.emulator.control.setTapPolicy(c.tenant.id, { state: "disabled" });
    expect(await reason(c, user.id)).toEqual([false, "DisabledByPolicy"]);
    t.emulator.control.setTapPolicy(c.tenant.id, { state: "enabled" });
    expect(await reason(c, user.id)).toEqual([true, "EnabledByPolicy"]);
    const excluded = t.emulator.control.addGroup(c.tenant.id, { displayName: "Excluded", members: [user.upn] });
    t.emulator.control.setTapPolicy(c.tenant.id, { excludeTargets: [{ id: excluded.id }] });
    expect(await reason(c, user.id)).toEqual([false, "DisabledByPolicy"]);
  });
});

describe("privileged users", () => {
  it("by default lets an app create and delete a Global Administrator's pass", async () => {
    const c = await tapTenant({ users: [{ userPrincipalName: "ga@priv1.example", displayName: "GA", roles: ["Global Administrator"] }], domains: ["priv1.example"] });
    const created = await createPass(c, "ga@priv1.example");
    expect(created.status, created.text).toBe(201);
    expect((await c.graph("DELETE", `${passes("ga@priv1.example")}/${created.json<Pass>().id}`)).status).toBe(204);
  });

  it("with restrictAuthMethodsOfPrivilegedUsers answers 403, unless the app holds Privileged Authentication Administrator", async () => {
    const c = await tapTenant({
      users: [
        { userPrincipalName: "ga@priv2.example", displayName: "GA", roles: ["Global Administrator"] },
        { userPrincipalName: "plain@priv2.example", displayName: "Plain" },
      ],
      domains: ["priv2.example"],
    });
    const existing = (await createPass(c, "ga@priv2.example")).json<Pass>();
    t.emulator.control.setTenantSettings(c.tenant.id, { restrictAuthMethodsOfPrivilegedUsers: true });
    for (const response of [await createPass(c, "ga@priv2.example"), await c.graph("DELETE", `${passes("ga@priv2.example")}/${existing.id}`)]) {
      expect(response.status).toBe(403);
      expect(response.json<ODataError>().error).toEqual(
        expect.objectContaining({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." }),
      );
    }
    expect((await c.graph("GET", passes("ga@priv2.example"))).status).toBe(200);
    expect((await createPass(c, "plain@priv2.example")).status).toBe(201);

    t.emulator.control.setConsent(c.tenant.id, c.app.clientId, { granted: true, directoryRoles: ["Privileged Authentication Administrator"] });
    expect((await createPass(c, "ga@priv2.example")).status).toBe(201);
  });
});

describe("permissions", () => {
  it("reads with the TAP or authentication-method read permissions, writes only with a ReadWrite one", async () => {
    const owner = await tapTenant({ users: [{ userPrincipalName: "u@perm.example", displayName: "U" }], domains: ["perm.example"] });
    expect((await createPass(owner, "u@perm.example")).status).toBe(201);
    const readers: ApplicationPermission[] = ["UserAuthMethod-TAP.Read.All", "UserAuthenticationMethod.Read.All"];
    const writers: ApplicationPermission[] = ["UserAuthMethod-TAP.ReadWrite.All", "UserAuthenticationMethod.ReadWrite.All"];
    for (const permission of [...readers, ...writers, "User.ReadWrite.All" as const]) {
      const app = t.emulator.control.registerApp({ displayName: permission, requiredPermissions: [permission] });
      t.emulator.control.setConsent(owner.tenant.id, app.clientId, { granted: true });
      const token = (
        await t.http(`${t.emulator.url}/${owner.tenant.id}/oauth2/v2.0/token`, {
          form: { grant_type: "client_credentials", client_id: app.clientId, client_secret: app.secrets[0]?.value ?? "", scope: "https://graph.microsoft.com/.default" },
        })
      ).json<{ access_token: string }>().access_token;
      const call = (method: string, path: string) =>
        t.http(`${t.emulator.url}/v1.0${path}`, { method, json: method === "POST" ? {} : undefined, headers: { authorization: `Bearer ${token}` } });
      const canRead = permission !== "User.ReadWrite.All";
      const canWrite = (writers as string[]).includes(permission);
      expect((await call("GET", passes("u@perm.example"))).status, permission).toBe(canRead ? 200 : 403);
      const created = await call("POST", passes("u@perm.example"));
      expect(created.status, permission).toBe(canWrite ? 201 : 403);
      if (!canWrite) expect(created.json<ODataError>().error.code).toBe("Authorization_RequestDenied");
    }
  });
});

describe("misbehaviour", () => {
  it("answers 404 for a user still inside the replication lag", async () => {
    const c = await tapTenant();
    t.emulator.control.setMisbehaviour(c.tenant.id, { replicationLag: { requests: 1 } });
    const user = await createUser(c, "new");
    const lagged = await createPass(c, user.id);
    expect(lagged.status).toBe(404);
    expect(lagged.json<ODataError>().error.code).toBe("Request_ResourceNotFound");
    expect((await createPass(c, user.id)).status).toBe(201);
  });

  it("counts creates as writes for throttling", async () => {
    const c = await tapTenant();
    const user = await createUser(c, "busy");
    t.emulator.control.setMisbehaviour(c.tenant.id, { throttle: { quotaScale: 0.001 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await createPass(c, user.id)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it("loses the answer of a create that succeeded (504 after the handler), only for matching requests", async () => {
    const c = await tapTenant();
    const user = await createUser(c, "lost");
    t.emulator.control.setMisbehaviour(c.tenant.id, {
      faults: { next: 1, status: 504, afterHandler: true, match: "^POST /users/[^/]+/authentication/temporaryAccessPassMethods$" },
    });
    expect((await c.graph("GET", passes(user.id))).status).toBe(200);
    const lost = await createPass(c, user.id);
    expect(lost.status).toBe(504);
    expect(lost.json<ODataError>().error.code).toBe("gatewayTimeout");
    const stored = t.emulator.control.inspectTenant(c.tenant.id).users.find((u) => u.id === user.id)?.temporaryAccessPass;
    expect(stored?.isUsable).toBe(true);
    expect((await c.graph("GET", passes(user.id))).json<{ value: Pass[] }>().value.map((p) => p.id)).toEqual([stored?.id]);
    expect((await createPass(c, user.id)).status).toBe(201);
  });
});

describe("GET /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass", () => {
  const path = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations";

  it("shows Microsoft's defaults for a new tenant, under either spelling of the id", async () => {
    const c = await t.tenantWithApp({ permissions: ["Policy.Read.AuthenticationMethod"] });
    for (const id of ["TemporaryAccessPass", "temporaryAccessPass"]) {
      const response = await c.graph("GET", `${path}/${id}`);
      expect(response.status, response.text).toBe(200);
      expect(response.json()).toEqual({
        "@odata.context": `${t.emulator.url}/v1.0/$metadata#authenticationMethodConfigurations/$entity`,
        "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
        id: "TemporaryAccessPass",
        state: "disabled",
        defaultLifetimeInMinutes: 60,
        defaultLength: 8,
        minimumLifetimeInMinutes: 60,
        maximumLifetimeInMinutes: 480,
        isUsableOnce: false,
        excludeTargets: [],
        "includeTargets@odata.context": `${t.emulator.url}/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations('TemporaryAccessPass')/microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration/includeTargets`,
        includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
      });
    }
  });

  it("shows the tenant's policy, answers 404 for other methods and 403 without a policy permission", async () => {
    const c = await tapTenant({
      groups: [{ id: groupId, displayName: "JIT" }],
      tapPolicy: { state: "enabled", includeTargets: [{ id: groupId }], excludeTargets: [{ id: groupId }], maximumLifetimeInMinutes: 1440 },
    });
    const policy = (await c.graph("GET", `${path}/TEMPORARYACCESSPASS`)).json();
    expect(policy).toMatchObject({
      state: "enabled",
      maximumLifetimeInMinutes: 1440,
      includeTargets: [{ targetType: "group", id: groupId, isRegistrationRequired: false }],
      excludeTargets: [{ id: groupId, targetType: "group" }],
    });
    expect((await c.graph("GET", `${path}/Fido2`)).status).toBe(404);
    const other = await t.tenantWithApp({ permissions: ["UserAuthenticationMethod.ReadWrite.All"] });
    expect((await other.graph("GET", `${path}/TemporaryAccessPass`)).status).toBe(403);
  });
});
