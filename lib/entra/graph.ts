import { AuthenticationHandler, Client, GraphError, HTTPMessageHandler } from "@microsoft/microsoft-graph-client";
import type { CloudConfig } from "./clouds";
import { EntraError, parseRetryAfter } from "./errors";
import { GraphRetryPolicy } from "./graph-retry";
import { acquireAppToken } from "./msal";
import { paceWrite } from "./pacing";

export type GraphOrganization = { id: string; displayName: string; verifiedDomains: { name: string; isDefault: boolean }[] };
export type GraphDomain = { id: string; isVerified: boolean; isDefault: boolean };
export type GraphRoleDefinition = { id: string; templateId: string; displayName: string; isBuiltIn: boolean; isEnabled: boolean };
export type GraphUser = {
  id: string;
  userPrincipalName: string;
  displayName: string;
  accountEnabled?: boolean;
  employeeId?: string | null;
  employeeType?: string | null;
  usageLocation?: string | null;
};
export type NewGraphUser = {
  accountEnabled: boolean;
  displayName: string;
  mailNickname: string;
  userPrincipalName: string;
  usageLocation: string;
  employeeId?: string;
  employeeType?: string;
  passwordProfile: { password: string; forceChangePasswordNextSignIn: boolean };
};
export type GraphRoleAssignment = { id: string; principalId: string; roleDefinitionId: string; directoryScopeId: string };
/** A user's Temporary Access Pass; `temporaryAccessPass` is the secret, returned only by the create. */
export type GraphTemporaryAccessPass = {
  id: string;
  temporaryAccessPass: string | null;
  createdDateTime: string;
  startDateTime: string | null;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: string | null;
};
export type GraphTapPolicy = {
  state: "enabled" | "disabled";
  includeTargets?: { id: string; targetType?: string }[];
  excludeTargets?: { id: string; targetType?: string }[];
  minimumLifetimeInMinutes: number;
  maximumLifetimeInMinutes: number;
  defaultLifetimeInMinutes: number;
  isUsableOnce: boolean;
};

type Page<T> = { value: T[]; "@odata.nextLink"?: string };

/**
 * Graph's errors become EntraError with Graph's code and message (they name the problem precisely).
 * A token failure inside the Graph client's middleware would arrive as an anonymous GraphError, so the
 * token is asked for first (an MSAL cache hit almost always), keeping Entra's AADSTS code.
 */
async function callGraph<T>(token: () => Promise<unknown>, run: () => Promise<T>): Promise<T> {
  await token();
  try {
    return await run();
  } catch (err) {
    if (err instanceof EntraError) throw err;
    // The Graph client reports a dropped connection as a GraphError without a status.
    if (err instanceof GraphError && err.statusCode > 0) {
      const retryAfterMs = parseRetryAfter(err.headers?.get("retry-after"));
      throw new EntraError(err.message || `Graph answered ${err.statusCode}.`, err.code ?? String(err.statusCode), err.statusCode, err, retryAfterMs);
    }
    throw new EntraError("Could not reach Microsoft Graph.", "network", undefined, err);
  }
}

/**
 * Typed Microsoft Graph v1.0 calls for one customer tenant, through the real Graph client with an
 * app-only token from MSAL, Stint's retry policy, and the cloud's base URL (the emulator's host must
 * be in customHosts, or the client drops the Authorization header).
 */
export function graphFor(cloud: CloudConfig, tenantId: string) {
  const auth = new AuthenticationHandler({ getAccessToken: async () => (await acquireAppToken(cloud, tenantId)).accessToken });
  const retry = new GraphRetryPolicy(() => paceWrite(`${cloud.clientId}:${tenantId}`));
  const call = <T>(run: () => Promise<T>) => callGraph(() => acquireAppToken(cloud, tenantId), run);
  auth.setNext(retry);
  retry.setNext(new HTTPMessageHandler());
  const client = Client.initWithMiddleware({
    middleware: auth,
    baseUrl: cloud.graphBaseUrl,
    customHosts: new Set([new URL(cloud.graphBaseUrl).hostname]),
    defaultVersion: "v1.0",
  });

  async function all<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let page = await call<Page<T>>(() => client.api(path).get());
    items.push(...page.value);
    while (page["@odata.nextLink"]) {
      const next = page["@odata.nextLink"];
      page = await call<Page<T>>(() => client.api(next).get());
      items.push(...page.value);
    }
    return items;
  }

  return {
    async getOrganization(): Promise<GraphOrganization> {
      const [org] = await all<GraphOrganization>("/organization?$select=id,displayName,verifiedDomains");
      if (!org) throw new EntraError("The tenant returned no organization.", "no_organization");
      return org;
    },
    listDomains: () => all<GraphDomain>("/domains?$select=id,isVerified,isDefault"),
    listRoleDefinitions: () =>
      all<GraphRoleDefinition>("/roleManagement/directory/roleDefinitions?$select=id,templateId,displayName,isBuiltIn,isEnabled"),
    createUser: (user: NewGraphUser) => call<GraphUser>(() => client.api("/users").post(user)),
    getUser: (idOrUpn: string, select = "id,userPrincipalName,displayName,accountEnabled,employeeId,employeeType") =>
      call<GraphUser>(() => client.api(`/users/${encodeURIComponent(idOrUpn)}`).select(select).get()),
    findUsers: (filter: string, select = "id,userPrincipalName,displayName,accountEnabled,employeeId,employeeType") =>
      all<GraphUser>(`/users?$filter=${encodeURIComponent(filter)}&$select=${select}`),
    updateUser: (id: string, patch: Partial<NewGraphUser>) => call<void>(() => client.api(`/users/${encodeURIComponent(id)}`).patch(patch)),
    deleteUser: (id: string) => call<void>(() => client.api(`/users/${encodeURIComponent(id)}`).delete()),
    permanentlyDeleteUser: (id: string) => call<void>(() => client.api(`/directory/deletedItems/${encodeURIComponent(id)}`).delete()),
    /** Whether the user is in the directory's deleted items (deleted, not yet purged). */
    isDeletedUser: (id: string) =>
      call<unknown>(() => client.api(`/directory/deletedItems/${encodeURIComponent(id)}`).select("id").get()).then(
        () => true,
        (err: unknown) => (err instanceof EntraError && err.httpStatus === 404 ? false : Promise.reject(err)),
      ),
    revokeSignInSessions: (id: string) =>
      call<{ value: boolean }>(() => client.api(`/users/${encodeURIComponent(id)}/revokeSignInSessions`).post({})),
    createRoleAssignment: (principalId: string, roleDefinitionId: string) =>
      call<GraphRoleAssignment>(() =>
        client.api("/roleManagement/directory/roleAssignments").post({ principalId, roleDefinitionId, directoryScopeId: "/" }),
      ),
    listRoleAssignmentsOf: (principalId: string) =>
      all<GraphRoleAssignment>(`/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`),
    deleteRoleAssignment: (id: string) => call<void>(() => client.api(`/roleManagement/directory/roleAssignments/${encodeURIComponent(id)}`).delete()),
    createTemporaryAccessPass: (userId: string, pass: { lifetimeInMinutes: number; isUsableOnce: boolean }) =>
      call<GraphTemporaryAccessPass>(() => client.api(`/users/${encodeURIComponent(userId)}/authentication/temporaryAccessPassMethods`).post(pass)),
    listTemporaryAccessPasses: (userId: string) =>
      all<GraphTemporaryAccessPass>(`/users/${encodeURIComponent(userId)}/authentication/temporaryAccessPassMethods`),
    deleteTemporaryAccessPass: (userId: string, id: string) =>
      call<void>(() => client.api(`/users/${encodeURIComponent(userId)}/authentication/temporaryAccessPassMethods/${encodeURIComponent(id)}`).delete()),
    getTapPolicy: () =>
      call<GraphTapPolicy>(() => client.api("/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass").get()),
  };
}

export type Graph = ReturnType<typeof graphFor>;
