import { readFile } from "node:fs/promises";
import type { ApplicationPermission } from "../catalog/permissions";
import type { AppSnapshot, TenantSnapshot } from "../control/control";
import type { TenantSeed } from "../control/schemas";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "../server";
import { createHttpsClient, type HttpRequestOptions, type HttpResponse, type HttpsClient } from "./https-client";

export const graphScope = "https://graph.microsoft.com/.default";

export interface TestEmulator {
  emulator: RunningEmulator;
  caCert: string;
  http: HttpsClient;
  stop(): Promise<void>;
  /** A tenant plus an app consented in it with the given permissions. */
  tenantWithApp(options?: { permissions?: ApplicationPermission[]; tenant?: Partial<TenantSeed>; consented?: boolean }): Promise<TenantApp>;
}

export interface TenantApp {
  tenant: TenantSnapshot;
  app: AppSnapshot;
  secret: string;
  domain: string;
  requestToken(form?: Record<string, string>): Promise<HttpResponse>;
  token(): Promise<string>;
  /** A Graph call with a fresh token of this app. */
  graph(method: string, path: string, options?: HttpRequestOptions): Promise<HttpResponse>;
}

export const jitPermissions: ApplicationPermission[] = [
  "User.ReadWrite.All",
  "User.DeleteRestore.All",
  "RoleManagement.ReadWrite.Directory",
  "Domain.Read.All",
  "Organization.Read.All",
];

let tenantCounter = 0;

export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ testControl: true, ...options });
  const caCert = await readFile(emulator.caCertPath, "utf8");
  const http = createHttpsClient(caCert);
  const { url, control } = emulator;

  async function tenantWithApp(opts: Parameters<TestEmulator["tenantWithApp"]>[0] = {}): Promise<TenantApp> {
    tenantCounter += 1;
    const domain = `tenant${tenantCounter}-${Date.now()}.onmicrosoft.com`;
    const tenant = control.createTenant({ displayName: `Tenant ${tenantCounter}`, domains: [domain], ...opts.tenant });
    const app = control.registerApp({
      displayName: "Stint test app",
      requiredPermissions: opts.permissions ?? jitPermissions,
      redirectUris: ["https://stint.test/consent/callback"],
    });
    if (opts.consented ?? true) control.setConsent(tenant.id, app.clientId, { granted: true });
    const secret = app.secrets[0]?.value ?? "";
    const requestToken = (form: Record<string, string> = {}) =>
      http(`${url}/${tenant.id}/oauth2/v2.0/token`, {
        form: { grant_type: "client_credentials", client_id: app.clientId, client_secret: secret, scope: graphScope, ...form },
      });
    const token = async () => {
      const response = await requestToken();
      if (response.status !== 200) throw new Error(`token request failed: ${response.text}`);
      return response.json<{ access_token: string }>().access_token;
    };
    const graph = async (method: string, path: string, options: HttpRequestOptions = {}) =>
      http(`${url}/v1.0${path}`, { ...options, method, headers: { authorization: `Bearer ${await token()}`, ...options.headers } });
    return { tenant, app, secret, domain, requestToken, token, graph };
  }

  return { emulator, caCert, http, stop: () => emulator.stop(), tenantWithApp };
}

/** A user body that passes every POST /users rule. */
export function newUserBody(domain: string, localPart: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    accountEnabled: true,
    displayName: `JIT ${localPart}`,
    mailNickname: localPart,
    userPrincipalName: `${localPart}@${domain}`,
    passwordProfile: { forceChangePasswordNextSignIn: false, password: "xWwvJ]6NMw+bWH-d" },
    ...extra,
  };
}
