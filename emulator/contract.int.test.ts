import { ConfidentialClientApplication } from "@azure/msal-node";
import { Client, GraphError, type PageCollection } from "@microsoft/microsoft-graph-client";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppSnapshot, TenantSnapshot } from "./control/control";
import { startEmulator, type RunningEmulator } from "./server";

/**
 * The real client libraries against the emulator, configured exactly as README.md tells Stint to configure them.
 * TLS trust comes from NODE_EXTRA_CA_CERTS (set by emulator/testing/global-setup.ts before vitest forks this worker).
 */
let emulator: RunningEmulator;
let tenant: TenantSnapshot;
let secondTenant: TenantSnapshot;
let app: AppSnapshot;

const globalAdministrator = "62e90394-69f5-4237-9190-012177145e10";

beforeAll(async () => {
  emulator = await startEmulator();
  if (process.env.NODE_EXTRA_CA_CERTS !== emulator.caCertPath) {
    throw new Error(
      `NODE_EXTRA_CA_CERTS must be ${emulator.caCertPath} when this worker starts; add emulator/testing/global-setup.ts to the vitest globalSetup.`,
    );
  }
  tenant = emulator.control.createTenant({ displayName: "Contract Co", domains: ["contractco.onmicrosoft.com"] });
  secondTenant = emulator.control.createTenant({ displayName: "Second Co", domains: ["secondco.onmicrosoft.com"] });
  app = emulator.control.registerApp({
    displayName: "Stint contract",
    requiredPermissions: ["User.ReadWrite.All", "RoleManagement.ReadWrite.Directory"],
  });
  emulator.control.setConsent(tenant.id, app.clientId, { granted: true });
  emulator.control.setConsent(secondTenant.id, app.clientId, { granted: true });
});
afterAll(() => emulator.stop());

/** One client application for every tenant; the tenant's authority goes on each request (§1.3). */
function msal(): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: {
      clientId: app.clientId,
      clientSecret: app.secrets[0]?.value,
      authority: `${emulator.url}/organizations`,
      // Skips instance discovery, which would otherwise go to the real login.microsoftonline.com.
      knownAuthorities: [new URL(emulator.url).host],
    },
  });
}

function graphClient(cca: ConfidentialClientApplication, tenantId: string): Client {
  return Client.initWithMiddleware({
    baseUrl: emulator.url,
    // The auth handler strips Authorization from non-Graph hosts; the port is ignored in this check.
    customHosts: new Set([new URL(emulator.url).hostname]),
    authProvider: {
      getAccessToken: async () => {
        const result = await cca.acquireTokenByClientCredential({
          scopes: ["https://graph.microsoft.com/.default"],
          authority: `${emulator.url}/${tenantId}`,
        });
        if (!result) throw new Error("no token");
        return result.accessToken;
      },
    },
  });
}

describe("@azure/msal-node + @microsoft/microsoft-graph-client against the emulator", () => {
  it("acquires a token, creates a user, assigns a role and reads both back", async () => {
    const cca = msal();
    const token = await cca.acquireTokenByClientCredential({
      scopes: ["https://graph.microsoft.com/.default"],
      authority: `${emulator.url}/${tenant.id}`,
    });
    expect(token?.tokenType).toBe("Bearer");
    expect(decodeJwt(token?.accessToken ?? "")).toMatchObject({ tid: tenant.id, appid: app.clientId });

    const graph = graphClient(cca, tenant.id);
    const created = await graph.api("/users").post({
      accountEnabled: true,
      displayName: "JIT contract",
      mailNickname: "jit-contract",
      userPrincipalName: "jit-contract@contractco.onmicrosoft.com",
      passwordProfile: { forceChangePasswordNextSignIn: false, password: "Contract-Test-9!" },
      employeeType: "stint-jit",
    });
    expect(created.userPrincipalName).toBe("jit-contract@contractco.onmicrosoft.com");

    const assignment = await graph
      .api("/roleManagement/directory/roleAssignments")
      .post({ roleDefinitionId: globalAdministrator, principalId: created.id, directoryScopeId: "/" });
    expect(assignment.id).toMatch(/-1$/);

    const user = await graph.api(`/users/${created.id}`).select(["id", "accountEnabled", "employeeType"]).get();
    expect(user).toMatchObject({ id: created.id, accountEnabled: true, employeeType: "stint-jit" });
    const assignments = await graph.api("/roleManagement/directory/roleAssignments").filter(`principalId eq '${created.id}'`).get();
    expect(assignments.value).toEqual([expect.objectContaining({ id: assignment.id, roleDefinitionId: globalAdministrator })]);

    const filtered: PageCollection = await graph.api("/users").filter("employeeType eq 'stint-jit'").top(1).get();
    expect(filtered.value).toHaveLength(1);
  });

  it("surfaces Graph errors as GraphError with code, status and request id", async () => {
    const graph = graphClient(msal(), tenant.id);
    const body = {
      accountEnabled: true,
      displayName: "Twice",
      mailNickname: "twice",
      userPrincipalName: "twice@contractco.onmicrosoft.com",
      passwordProfile: { password: "Contract-Test-9!" },
    };
    await graph.api("/users").post(body);
    const error: unknown = await graph.api("/users").post(body).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphError);
    const graphError = error as GraphError;
    expect(graphError.statusCode).toBe(400);
    expect(graphError.code).toBe("Request_BadRequest");
    expect(graphError.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const deleted = await graph.api(`/users/twice@contractco.onmicrosoft.com`).delete();
    expect(deleted).toBeUndefined();
  });

  it("follows @odata.nextLink pages and serves a second tenant through the same client application", async () => {
    const cca = msal();
    const graph = graphClient(cca, tenant.id);
    for (let i = 0; i < 3; i++) {
      await graph.api("/users").post({
        accountEnabled: false,
        displayName: `Pager ${i}`,
        mailNickname: `pager${i}`,
        userPrincipalName: `pager${i}@contractco.onmicrosoft.com`,
        passwordProfile: { password: "Contract-Test-9!" },
      });
    }
    const first: PageCollection = await graph.api("/users").top(2).get();
    expect(first["@odata.nextLink"]).toBeDefined();
    const second: PageCollection = await graph.api(first["@odata.nextLink"] as string).get();
    expect(second.value.length).toBeGreaterThan(0);

    const other = graphClient(cca, secondTenant.id);
    const users = await other.api("/users").get();
    expect(users.value).toEqual([]);
  });

  it("lets the Graph client's RetryHandler ride out 429s (fractional Retry-After) and a transient 503", async () => {
    const graph = graphClient(msal(), tenant.id);
    const upn = "retry-contract@contractco.onmicrosoft.com";
    await graph.api("/users").post({
      accountEnabled: true,
      displayName: "Retry contract",
      mailNickname: "retry-contract",
      userPrincipalName: upn,
      passwordProfile: { password: "Contract-Test-9!" },
    });
    emulator.control.setMisbehaviour(tenant.id, { throttle: { quotaScale: 0.001, windowScale: 0.002 }, faults: { next: 1, retryAfterSeconds: 0 } });
    try {
      for (let i = 0; i < 5; i++) {
        await graph.api(`/users/${upn}`).patch({ jobTitle: `attempt ${i}` });
      }
      const statuses = emulator.control.requests({ tenantId: tenant.id, surface: "graph" }).slice(-8).map((e) => e.status);
      expect(statuses).toContain(503);
      expect(statuses).toContain(429);
      const user = await graph.api(`/users/${upn}`).select("jobTitle").get();
      expect(user.jobTitle).toBe("attempt 4");
    } finally {
      emulator.control.setMisbehaviour(tenant.id, { throttle: { quotaScale: 1, windowScale: 1 }, faults: null });
    }
  });
});
