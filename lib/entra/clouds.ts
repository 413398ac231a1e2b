import type { EntraCloud } from "@/lib/vocabulary/entra-clouds";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Where one Entra cloud lives and which app registration Stint uses there. */
export type CloudConfig = {
  cloud: EntraCloud;
  authorityHost: string;
  /** Where a person's browser is sent to sign in or consent: the authority host, or the sandbox's http pages. */
  browserAuthorityHost: string;
  graphBaseUrl: string;
  clientId: string;
  clientSecret: string;
  /** Authority hosts MSAL must trust without instance discovery (the emulator); empty for Microsoft's clouds. */
  knownAuthorities: string[];
};

const MICROSOFT_AUTHORITY_HOSTS = new Set(["login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn"]);

export function isMicrosoftCloudConfigured(): boolean {
  return Boolean(env.ENTRA_CLIENT_ID && env.ENTRA_CLIENT_SECRET);
}

/** The sandbox (an emulated tenant) is offered when Stint has no Entra app registration of its own. */
export function isSandboxConfigured(): boolean {
  return Boolean(env.SANDBOX_EMULATOR_URL && env.SANDBOX_CLIENT_ID && env.SANDBOX_CLIENT_SECRET && env.SANDBOX_TENANT_ID);
}

export function cloudConfig(cloud: EntraCloud): CloudConfig {
  if (cloud === "sandbox") {
    if (!isSandboxConfigured()) throw new AppError("conflict", "The sandbox emulator is not running. Start Stint with `npm start` to use the sandbox.");
    const url = env.SANDBOX_EMULATOR_URL!;
    return {
      cloud,
      authorityHost: url,
      browserAuthorityHost: env.SANDBOX_BROWSER_URL ?? url,
      graphBaseUrl: url,
      clientId: env.SANDBOX_CLIENT_ID!,
      clientSecret: env.SANDBOX_CLIENT_SECRET!,
      knownAuthorities: [new URL(url).host],
    };
  }
  if (!isMicrosoftCloudConfigured()) {
    throw new AppError("conflict", "Stint has no Entra app registration configured: set ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET.");
  }
  const authority = new URL(env.ENTRA_AUTHORITY_HOST);
  return {
    cloud,
    authorityHost: authority.origin,
    browserAuthorityHost: authority.origin,
    graphBaseUrl: new URL(env.GRAPH_BASE_URL).origin,
    clientId: env.ENTRA_CLIENT_ID!,
    clientSecret: env.ENTRA_CLIENT_SECRET!,
    knownAuthorities: MICROSOFT_AUTHORITY_HOSTS.has(authority.hostname) ? [] : [authority.host],
  };
}

/**
 * The Temporary Access Pass API of Graph v1.0 exists in the global cloud and the US Government clouds,
 * not in the cloud operated by 21Vianet in China; the emulator models it.
 */
export function supportsTap(cloud: EntraCloud): boolean {
  if (cloud === "sandbox") return true;
  return !new URL(env.GRAPH_BASE_URL).hostname.endsWith(".chinacloudapi.cn");
}

export function sandboxTenantId(): string | undefined {
  return env.SANDBOX_TENANT_ID;
}

/** Whether a customer can be connected now: real tenants need Stint's app registration, sandboxes the emulator. */
export function canConnect(isSandbox: boolean): boolean {
  return isSandbox ? isSandboxConfigured() : isMicrosoftCloudConfigured();
}
