import { decodeJwt, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newUserBody, startTestEmulator, type TenantApp, type TestEmulator } from "../testing/harness";

let t: TestEmulator;
let c: TenantApp;

beforeAll(async () => {
  t = await startTestEmulator();
  c = await t.tenantWithApp();
});
afterAll(() => t.stop());

type ODataError = { error: { code: string; message: string; details?: { target: string; code: string }[]; innerError: Record<string, string> } };

async function createUser(localPart: string, extra: Record<string, unknown> = {}) {
  const response = await c.graph("POST", "/users", { json: newUserBody(c.domain, localPart, extra) });
  expect(response.status, response.text).toBe(201);
  return response.json<{ id: string; userPrincipalName: string }>();
}

describe("POST /users", () => {
  it("creates a user: 201 with @odata.context and the default properties only", async () => {
    const response = await c.graph("POST", "/users", { json: newUserBody(c.domain, "adele", { usageLocation: "US", employeeType: "stint-jit" }) });
    expect(response.status).toBe(201);
    expect(response.headers["content-type"]).toMatch(/^application\/json;/);
    const body = response.json();
    expect(body["@odata.context"]).toBe(`${t.emulator.url}/v1.0/$metadata#users/$entity`);
    expect(Object.keys(body).sort()).toEqual(
      ["@odata.context", "businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"].sort(),
    );
    expect(body.userPrincipalName).toBe(`adele@${c.domain}`);
    expect(body).not.toHaveProperty("accountEnabled");
    expect(body).not.toHaveProperty("passwordProfile");
  });

  it("rejects a duplicate UPN with 400 Request_BadRequest and an ObjectConflict detail", async () => {
    const first = await createUser("dup");
    const response = await c.graph("POST", "/users", { json: newUserBody(c.domain, "DUP") });
    expect(response.status).toBe(400);
    const body = response.json<ODataError>();
    expect(body.error.code).toBe("Request_BadRequest");
    expect(body.error.message).toBe("Another object with the same value for property userPrincipalName already exists.");
    expect(body.error.details).toContainEqual(expect.objectContaining({ target: "userPrincipalName", code: "ObjectConflict" }));
    expect(body.error.details).toContainEqual(expect.objectContaining({ target: `User_${first.id}`, code: "ConflictingObjects" }));
    expect(Object.keys(body.error.innerError).sort()).toEqual(["client-request-id", "date", "request-id"]);
    expect(body.error.innerError.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(body.error.innerError["request-id"]).toBe(response.headers["request-id"]);
  });

  it.each([
    "sh0rt!A",
    "alllowercase1",
    "ALLUPPERCASE1",
    "NoDigitsOrSymbols",
    "Ünïcödé-pässwörd-1",
    "Password123!",
  ])("rejects the password %s", async (password) => {
    const body = newUserBody(c.domain, `pw${Math.random().toString(36).slice(2, 8)}`, { passwordProfile: { password } });
    const response = await c.graph("POST", "/users", { json: body });
    expect(response.status).toBe(400);
    expect(response.json<ODataError>().error).toMatchObject({
      code: "Request_BadRequest",
      message: "The specified password does not comply with password complexity requirements. Please provide a different password.",
    });
  });

  it("requires the five mandatory properties", async () => {
    for (const property of ["accountEnabled", "displayName", "mailNickname", "passwordProfile", "userPrincipalName"]) {
      const body = newUserBody(c.domain, `req${property.toLowerCase()}`);
      delete body[property];
      const response = await c.graph("POST", "/users", { json: body });
      expect(response.status).toBe(400);
      expect(response.json<ODataError>().error.message).toBe(`A value is required for property '${property}' of resource 'User'.`);
    }
  });

  it("requires a verified domain and a well-formed UPN", async () => {
    const unverified = await t.tenantWithApp({ tenant: { domains: [`v${Date.now()}.onmicrosoft.com`, { name: `pending${Date.now()}.example`, isVerified: false }] } });
    const pendingDomain = unverified.tenant.domains.find((d) => !d.isVerified)?.id ?? "";
    const response = await unverified.graph("POST", "/users", { json: newUserBody(pendingDomain, "someone") });
    expect(response.status).toBe(400);
    expect(response.json<ODataError>().error.message).toBe(
      "The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.",
    );
    for (const upn of [`a b@${c.domain}`, `dot.@${c.domain}`, `${"x".repeat(65)}@${c.domain}`, "no-at-sign"]) {
      const bad = await c.graph("POST", "/users", { json: { ...newUserBody(c.domain, "ok"), userPrincipalName: upn } });
      expect(bad.json<ODataError>().error.message, upn).toBe("Invalid value specified for property 'userPrincipalName' of resource 'User'.");
    }
  });

  it("rejects an invalid mailNickname, unknown and read-only properties, and a non-JSON body", async () => {
    const nickname = await c.graph("POST", "/users", { json: newUserBody(c.domain, "nick", { mailNickname: "has space" }) });
    expect(nickname.json<ODataError>().error.message).toBe("Invalid value specified for property 'mailNickname' of resource 'User'.");
    const unknown = await c.graph("POST", "/users", { json: newUserBody(c.domain, "unk", { favouriteColour: "blue" }) });
    expect(unknown.json<ODataError>().error.message).toBe("Invalid property 'favouriteColour'.");
    const readOnly = await c.graph("POST", "/users", { json: newUserBody(c.domain, "ro", { id: "x" }) });
    expect(readOnly.json<ODataError>().error.message).toBe("Property 'id' is read-only and cannot be set.");
    const garbage = await c.graph("POST", "/users", { body: "{not json", headers: { "content-type": "application/json" } });
    expect(garbage.status).toBe(400);
    expect(garbage.json<ODataError>().error.code).toBe("BadRequest");
  });

  it("needs a write permission: User.Read.All alone gets 403 Authorization_RequestDenied", async () => {
    const reader = await t.tenantWithApp({ permissions: ["User.Read.All"] });
    const response = await reader.graph("POST", "/users", { json: newUserBody(reader.domain, "nope") });
    expect(response.status).toBe(403);
    expect(response.json<ODataError>().error).toMatchObject({ code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." });
  });
});

describe("GET /users/{id | userPrincipalName}", () => {
  it("returns the default properties, or exactly the $select ones", async () => {
    const created = await createUser("grace", { employeeType: "stint-jit", usageLocation: "NL" });
    const plain = (await c.graph("GET", `/users/${created.id}`)).json();
    expect(plain).not.toHaveProperty("accountEnabled");
    expect(plain).not.toHaveProperty("employeeType");
    const selected = await c.graph("GET", `/users/${created.id}?$select=id,accountEnabled,employeeType,usageLocation,signInSessionsValidFromDateTime`);
    expect(selected.json()).toEqual({
      "@odata.context": `${t.emulator.url}/v1.0/$metadata#users(id,accountEnabled,employeeType,usageLocation,signInSessionsValidFromDateTime)/$entity`,
      id: created.id,
      accountEnabled: true,
      employeeType: "stint-jit",
      usageLocation: "NL",
      signInSessionsValidFromDateTime: expect.stringMatching(/Z$/),
    });
  });

  it("finds a user by UPN, case-insensitively, and in the ('upn') form", async () => {
    const created = await createUser("henry");
    expect((await c.graph("GET", `/users/HENRY@${c.domain.toUpperCase()}`)).json().id).toBe(created.id);
    expect((await c.graph("GET", `/users('${encodeURIComponent(`henry@${c.domain}`)}')`)).json().id).toBe(created.id);
  });

  it("answers 404 Request_ResourceNotFound for a missing user and 400 for an unknown $select property", async () => {
    const missing = await c.graph("GET", "/users/00000000-0000-0000-0000-000000000001");
    expect(missing.status).toBe(404);
    expect(missing.json<ODataError>().error).toMatchObject({
      code: "Request_ResourceNotFound",
      message: "Resource '00000000-0000-0000-0000-000000000001' does not exist or one of its queried reference-property objects are not present.",
    });
    const created = await createUser("ivy");
    const badSelect = await c.graph("GET", `/users/${created.id}?$select=shoeSize`);
    expect(badSelect.status).toBe(400);
    expect(badSelect.json<ODataError>().error.message).toBe("Could not find a property named 'shoeSize' on type 'microsoft.graph.user'.");
  });
});

describe("GET /users with $filter, $top and paging", () => {
  let f: TenantApp;
  beforeAll(async () => {
    f = await t.tenantWithApp();
    for (let i = 0; i < 7; i++) {
      const tagged = i < 5;
      const response = await f.graph("POST", "/users", {
        json: newUserBody(f.domain, `user${i}`, {
          ...(tagged ? { employeeType: "stint-jit", employeeId: `gr_${i}` } : {}),
          ...(i === 0 ? { ext1a2b3c4d_stint: { grantId: "gr_0", managed: true }, extension_0123456789abcdef0123456789abcdef_grant: "gr_0" } : {}),
          ...(i === 1 ? { onPremisesExtensionAttributes: { extensionAttribute7: "stint" } } : {}),
        }),
      });
      expect(response.status).toBe(201);
    }
  });

  it("filters with eq on employeeType, employeeId, userPrincipalName and extension properties", async () => {
    const upns = async (query: string) =>
      (await f.graph("GET", `/users?${query}`)).json<{ value: { userPrincipalName: string }[] }>().value.map((u) => u.userPrincipalName.split("@")[0]).sort();
    expect(await upns(`$filter=employeeType eq 'stint-jit'`)).toEqual(["user0", "user1", "user2", "user3", "user4"]);
    expect(await upns(`$filter=employeeId eq 'gr_3'`)).toEqual(["user3"]);
    expect(await upns(`$filter=${encodeURIComponent(`userPrincipalName eq 'USER6@${f.domain}'`)}`)).toEqual(["user6"]);
    expect(await upns(`$filter=ext1a2b3c4d_stint/grantId eq 'gr_0'`)).toEqual(["user0"]);
    expect(await upns(`$filter=ext1a2b3c4d_stint/managed eq true`)).toEqual(["user0"]);
    expect(await upns(`$filter=extension_0123456789abcdef0123456789abcdef_grant eq 'gr_0'`)).toEqual(["user0"]);
    expect(await upns(`$filter=startswith(displayName,'JIT user1') or employeeId in ('gr_2','gr_4')`)).toEqual(["user1", "user2", "user4"]);
  });

  it("returns extension properties only when selected", async () => {
    const value = (await f.graph("GET", `/users?$filter=employeeId eq 'gr_0'&$select=id,ext1a2b3c4d_stint`)).json<{ value: Record<string, unknown>[] }>().value;
    expect(value[0]?.ext1a2b3c4d_stint).toEqual({ grantId: "gr_0", managed: true });
    const plain = (await f.graph("GET", `/users?$filter=employeeId eq 'gr_0'`)).json<{ value: Record<string, unknown>[] }>().value;
    expect(plain[0]).not.toHaveProperty("ext1a2b3c4d_stint");
  });

  it("needs ConsistencyLevel: eventual and $count=true for ne, not, endsWith and onPremisesExtensionAttributes", async () => {
    for (const filter of ["employeeType ne 'stint-jit'", "not(employeeType eq 'x')", `endswith(userPrincipalName,'${f.domain}')`]) {
      const plain = await f.graph("GET", `/users?$filter=${encodeURIComponent(filter)}`);
      expect(plain.status, filter).toBe(400);
      expect(plain.json<ODataError>().error.code).toBe("Request_UnsupportedQuery");
      const advanced = await f.graph("GET", `/users?$filter=${encodeURIComponent(filter)}&$count=true`, { headers: { consistencylevel: "eventual" } });
      expect(advanced.status, filter).toBe(200);
    }
    const ext = "$filter=onPremisesExtensionAttributes/extensionAttribute7 eq 'stint'";
    expect((await f.graph("GET", `/users?${ext}`)).status).toBe(400);
    const advanced = await f.graph("GET", `/users?${ext}&$count=true`, { headers: { ConsistencyLevel: "eventual" } });
    expect(advanced.json()).toMatchObject({ "@odata.count": 1, value: [{ userPrincipalName: `user1@${f.domain}` }] });
  });

  it("rejects $count without ConsistencyLevel and unfilterable properties", async () => {
    const count = await f.graph("GET", "/users?$count=true");
    expect(count.json<ODataError>().error.message).toBe("$count is not currently supported.");
    const unfilterable = await f.graph("GET", "/users?$filter=passwordPolicies eq 'x'");
    expect(unfilterable.json<ODataError>().error.message).toBe(
      "Unsupported or invalid query filter clause specified for property 'passwordPolicies' of resource 'User'.",
    );
    const syntax = await f.graph("GET", "/users?$filter=employeeType eq");
    expect(syntax.json<ODataError>().error.code).toBe("BadRequest");
  });

  it("pages with $top and an absolute @odata.nextLink on the emulator's host", async () => {
    const seen: string[] = [];
    let next: string | undefined = `${t.emulator.url}/v1.0/users?$top=3&$select=id,userPrincipalName&$orderby=userPrincipalName`;
    let pages = 0;
    while (next) {
      const page: { value: { userPrincipalName: string }[]; "@odata.nextLink"?: string } = (
        await t.http(next, { headers: { authorization: `Bearer ${await f.token()}` } })
      ).json();
      seen.push(...page.value.map((u) => u.userPrincipalName));
      next = page["@odata.nextLink"];
      if (next) expect(next.startsWith(`${t.emulator.url}/v1.0/users?`)).toBe(true);
      if (next) expect(next).toContain("$skiptoken=");
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...seen].sort());
    expect(seen).toHaveLength(7);
    expect((await f.graph("GET", "/users?$top=1000")).status).toBe(400);
  });
});

describe("PATCH, DELETE, deleted items, revokeSignInSessions", () => {
  it("PATCH returns 204 and changes the user; a null extension value removes it", async () => {
    const created = await createUser("jack", { ext1a2b3c4d_stint: { grantId: "gr_9" } });
    const patch = await c.graph("PATCH", `/users/${created.id}`, { json: { accountEnabled: false, jobTitle: "JIT admin", ext1a2b3c4d_stint: null } });
    expect(patch.status).toBe(204);
    expect(patch.text).toBe("");
    const after = (await c.graph("GET", `/users/${created.id}?$select=accountEnabled,jobTitle,ext1a2b3c4d_stint`)).json();
    expect(after).toMatchObject({ accountEnabled: false, jobTitle: "JIT admin", ext1a2b3c4d_stint: null });
  });

  it("PATCH passwordProfile checks complexity and records the change", async () => {
    const created = await createUser("kate");
    const weak = await c.graph("PATCH", `/users/${created.id}`, { json: { passwordProfile: { password: "weak" } } });
    expect(weak.status).toBe(400);
    const strong = await c.graph("PATCH", `/users/${created.id}`, { json: { passwordProfile: { password: "N3w-Rotated!Secret", forceChangePasswordNextSignIn: false } } });
    expect(strong.status).toBe(204);
    const snapshot = t.emulator.control.inspectTenant(c.tenant.id).users.find((u) => u.id === created.id);
    expect(snapshot?.password).toBe("N3w-Rotated!Secret");
  });

  it("DELETE soft-deletes into /directory/deletedItems; DELETE there removes it for good", async () => {
    const created = await createUser("liam");
    expect((await c.graph("DELETE", `/users/${created.id}`)).status).toBe(204);
    expect((await c.graph("GET", `/users/${created.id}`)).status).toBe(404);

    const deleted = (await c.graph("GET", "/directory/deletedItems/microsoft.graph.user")).json<{ value: { id: string; deletedDateTime: string }[] }>();
    expect(deleted.value.find((u) => u.id === created.id)?.deletedDateTime).toMatch(/Z$/);
    const item = (await c.graph("GET", `/directory/deletedItems/${created.id}`)).json();
    expect(item["@odata.type"]).toBe("#microsoft.graph.user");

    expect((await c.graph("DELETE", `/directory/deletedItems/${created.id}`)).status).toBe(204);
    expect((await c.graph("GET", `/directory/deletedItems/${created.id}`)).status).toBe(404);
    expect(t.emulator.control.inspectTenant(c.tenant.id).deletedUsers.some((u) => u.id === created.id)).toBe(false);
  });

  it("permanent deletion needs User.DeleteRestore.All; restore brings the user back", async () => {
    const limited = await t.tenantWithApp({ permissions: ["User.ReadWrite.All"] });
    const created = (await limited.graph("POST", "/users", { json: newUserBody(limited.domain, "mia") })).json<{ id: string }>();
    expect((await limited.graph("DELETE", `/users/${created.id}`)).status).toBe(204);
    expect((await limited.graph("DELETE", `/directory/deletedItems/${created.id}`)).status).toBe(403);

    const restored = await c.graph("POST", `/directory/deletedItems/${(await createDeleted()).id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.json()["@odata.type"]).toBe("#microsoft.graph.user");
  });

  async function createDeleted() {
    const created = await createUser(`restore${Date.now()}`);
    await c.graph("DELETE", `/users/${created.id}`);
    return created;
  }

  it("revokeSignInSessions answers 200 {value: true} and is recorded with a timestamp", async () => {
    const created = await createUser("noah");
    const before = Date.now();
    const response = await c.graph("POST", `/users/${created.id}/revokeSignInSessions`);
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ "@odata.context": `${t.emulator.url}/v1.0/$metadata#Edm.Boolean`, value: true });
    const revocation = t.emulator.control.inspectTenant(c.tenant.id).revocations.find((r) => r.userId === created.id);
    expect(Date.parse(revocation?.at ?? "")).toBeGreaterThanOrEqual(before - 1000);
  });
});

describe("authentication and envelope", () => {
  it("rejects a missing, forged or expired token with 401 InvalidAuthenticationToken", async () => {
    const none = await t.http(`${t.emulator.url}/v1.0/users`);
    expect(none.status).toBe(401);
    expect(none.json<ODataError>().error).toMatchObject({ code: "InvalidAuthenticationToken", message: "Access token is empty." });

    const token = await c.token();
    const [header, payload] = token.split(".");
    const forged = await t.http(`${t.emulator.url}/v1.0/users`, { headers: { authorization: `Bearer ${header}.${payload}.AAAA` } });
    expect(forged.json<ODataError>().error.code).toBe("InvalidAuthenticationToken");

    const claims = decodeJwt(token);
    const selfSigned = await new SignJWT({ ...claims, exp: 1 }).setProtectedHeader({ alg: "HS256" }).sign(new TextEncoder().encode("k".repeat(32)));
    expect((await t.http(`${t.emulator.url}/v1.0/users`, { headers: { authorization: `Bearer ${selfSigned}` } })).status).toBe(401);

    t.emulator.control.configure({ tokenLifetimeSeconds: 1 });
    const shortLived = await c.token();
    t.emulator.control.configure({ tokenLifetimeSeconds: 3599 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await t.http(`${t.emulator.url}/v1.0/users`, { headers: { authorization: `Bearer ${shortLived}` } });
    expect(expired.status).toBe(401);
    expect(expired.json<ODataError>().error.message).toBe("Access token has expired or is not yet valid.");
  });

  it("echoes client-request-id and sends request-id", async () => {
    const response = await c.graph("GET", "/organization", { headers: { "client-request-id": "abc-123" } });
    expect(response.headers["client-request-id"]).toBe("abc-123");
    expect(response.headers["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.json()).toMatchObject({ value: [{ id: c.tenant.id, displayName: c.tenant.displayName, verifiedDomains: [{ name: c.domain, isInitial: true }] }] });
  });

  it("lists domains and rejects unknown segments, versions and methods", async () => {
    const domains = (await c.graph("GET", "/domains")).json<{ value: Record<string, unknown>[] }>();
    expect(domains.value[0]).toMatchObject({ id: c.domain, isVerified: true, isDefault: true, isInitial: true, authenticationType: "Managed" });
    const segment = await c.graph("GET", "/widgets");
    expect(segment.json<ODataError>().error).toMatchObject({ code: "BadRequest", message: "Resource not found for the segment 'widgets'." });
    expect((await t.http(`${t.emulator.url}/beta/users`, { headers: { authorization: `Bearer ${await c.token()}` } })).json<ODataError>().error.message).toBe("Invalid version: beta");
    expect((await c.graph("PUT", "/users")).status).toBe(405);
  });
});
