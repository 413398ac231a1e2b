import { env } from "@/lib/env";
import { generateJitPassword } from "@/lib/grants/password";
import { GRANT_ROLES } from "./settings";

/**
 * The floor: the same Graph calls Stint makes, sent back-to-back straight to the emulator with fetch and
 * a token fetched once, with no database, queue or SDK in between. Each sequence mirrors Stint's code
 * (call for call, same query strings, same parallelism), so Stint's time over the floor is its overhead.
 */

const USER_SELECT = "id,userPrincipalName,displayName,accountEnabled,employeeId,employeeType";

/** What a provisioning made, by id, as Stint records it on the grant. */
export type MadeAccount = { userId: string; assignmentIds: string[]; passId: string };

export class DirectGraph {
  private constructor(
    private readonly token: string,
    readonly tenantId: string,
  ) {}

  static async forTenant(tenantId: string): Promise<DirectGraph> {
    const response = await fetch(`${env.ENTRA_AUTHORITY_HOST}/${tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        grant_type: "client_credentials",
        client_id: env.ENTRA_CLIENT_ID!,
        client_secret: env.ENTRA_CLIENT_SECRET!,
        scope: "https://graph.microsoft.com/.default",
      }),
    });
    const body = (await response.json()) as { access_token?: string };
    if (!response.ok || !body.access_token) throw new Error(`floor: no token for ${tenantId}: ${JSON.stringify(body)}`);
    return new DirectGraph(body.access_token, tenantId);
  }

  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown, expect: number[] = [200, 201, 204]): Promise<T> {
    const response = await fetch(`${env.GRAPH_BASE_URL}/v1.0${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!expect.includes(response.status)) throw new Error(`floor: ${method} ${path} → ${response.status} ${text.slice(0, 200)}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  private listAssignments(principalId: string) {
    return this.call<{ value: { id: string; roleDefinitionId: string }[] }>(
      "GET",
      `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`,
    );
  }

  /**
   * The sequence provision.ts made before accounts got a Temporary Access Pass (password only): GET the UPN
   * (404) → POST /users → list the user's role assignments → every role assignment in parallel → GET the user
   * and list its assignments in parallel (the verification). 5 sequential round trips: the yardstick the
   * pass-issuing sequence must not be slower than.
   */
  async provisionPasswordOnly(upn: string): Promise<{ ms: number; userId: string }> {
    const started = performance.now();
    await this.call("GET", `/users/${encodeURIComponent(upn)}?$select=${USER_SELECT}`, undefined, [404]);
    const user = await this.call<{ id: string }>("POST", "/users", newUser(upn));
    await this.listAssignments(user.id);
    await Promise.all(GRANT_ROLES.map((roleDefinitionId) => this.call("POST", "/roleManagement/directory/roleAssignments", { principalId: user.id, roleDefinitionId, directoryScopeId: "/" })));
    await Promise.all([this.call("GET", `/users/${encodeURIComponent(user.id)}?$select=${USER_SELECT}`), this.listAssignments(user.id)]);
    return { ms: performance.now() - started, userId: user.id };
  }

  /**
   * provision.ts today: POST /users with the tenant's pass policy read alongside → POST the pass → every
   * role assignment in parallel → GET the user, list its assignments and list its passes in parallel.
   * 4 sequential round trips, one more call than before and none of the reads before writing.
   */
  async provisionWithPass(upn: string): Promise<{ ms: number; made: MadeAccount }> {
    const started = performance.now();
    const [user] = await Promise.all([
      this.call<{ id: string }>("POST", "/users", newUser(upn)),
      this.call("GET", "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass"),
    ]);
    const pass = await this.call<{ id: string }>("POST", `/users/${encodeURIComponent(user.id)}/authentication/temporaryAccessPassMethods`, { lifetimeInMinutes: 65, isUsableOnce: false });
    const assignments = await Promise.all(
      GRANT_ROLES.map((roleDefinitionId) => this.call<{ id: string }>("POST", "/roleManagement/directory/roleAssignments", { principalId: user.id, roleDefinitionId, directoryScopeId: "/" })),
    );
    await Promise.all([
      this.call("GET", `/users/${encodeURIComponent(user.id)}?$select=${USER_SELECT}`),
      this.listAssignments(user.id),
      this.call("GET", `/users/${encodeURIComponent(user.id)}/authentication/temporaryAccessPassMethods`),
    ]);
    return { ms: performance.now() - started, made: { userId: user.id, assignmentIds: assignments.map((a) => a.id), passId: pass.id } };
  }

  /**
   * The default expiry actions as expire.ts sends them, with what was made known by id: the role assignments
   * deleted in parallel → the role list read (proof), the pass deleted, the sessions revoked and one PATCH that
   * disables and replaces the password, in parallel → the pass list and one GET of the user's proving
   * properties, in parallel. 3 sequential round trips, 8 calls with two roles.
   */
  async expire({ userId, assignmentIds, passId }: MadeAccount): Promise<number> {
    const started = performance.now();
    const id = encodeURIComponent(userId);
    await Promise.all(assignmentIds.map((a) => this.call("DELETE", `/roleManagement/directory/roleAssignments/${encodeURIComponent(a)}`)));
    await Promise.all([
      this.listAssignments(userId),
      this.call("DELETE", `/users/${id}/authentication/temporaryAccessPassMethods/${encodeURIComponent(passId)}`),
      this.call("POST", `/users/${id}/revokeSignInSessions`, {}),
      this.call("PATCH", `/users/${id}`, { accountEnabled: false, passwordProfile: { password: generateJitPassword(32), forceChangePasswordNextSignIn: false } }),
    ]);
    await Promise.all([
      this.call("GET", `/users/${id}/authentication/temporaryAccessPassMethods`),
      this.call("GET", `/users/${id}?$select=id,signInSessionsValidFromDateTime,accountEnabled,lastPasswordChangeDateTime`),
    ]);
    return performance.now() - started;
  }
}

function newUser(upn: string) {
  return {
    accountEnabled: true,
    displayName: "Floor JIT",
    mailNickname: upn.split("@")[0],
    userPrincipalName: upn,
    usageLocation: "US",
    employeeId: upn.split("@")[0]!.slice(-16),
    employeeType: "Bench floor",
    passwordProfile: { password: generateJitPassword(), forceChangePasswordNextSignIn: false },
  };
}
