import { createHash } from "node:crypto";
import { z } from "zod";
import { errorFor, readJson, send } from "./http";
import type { HaloSettings } from "./settings";
import { PsaError } from "./types";

const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });
const oauthError = z.object({ error: z.string() });

interface CachedToken {
  accessToken: string;
  /** When to stop using it: shortly before Halo's expiry. */
  renewAt: number;
}

/** Tokens by application (base URL, tenant, client id and a hash of the secret): one per Halo app per process. */
const cache = new Map<string, CachedToken>();
const pending = new Map<string, Promise<string>>();

/** Renew this long before expiry (at most half the lifetime), so a token never expires in flight. */
const renewMarginMs = 60_000;

function cacheKey(settings: HaloSettings): string {
  return createHash("sha256").update(JSON.stringify([settings.baseUrl, settings.tenant ?? "", settings.clientId, settings.clientSecret])).digest("hex");
}

async function requestToken(settings: HaloSettings, timeoutMs: number): Promise<CachedToken> {
  const url = `${settings.baseUrl}/auth/token${settings.tenant ? `?tenant=${encodeURIComponent(settings.tenant)}` : ""}`;
  const response = await send("HaloPSA", url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: settings.clientId, client_secret: settings.clientSecret, scope: "all" }).toString(),
    timeoutMs,
  });
  if (response.status === 400 || response.status === 401) {
    const error = oauthError.safeParse(await response.json().catch(() => null)).data?.error;
    if (error === "invalid_client" || response.status === 401) {
      throw new PsaError("HaloPSA refused the client ID or secret (or the tenant): check the API application's details.", "unauthorized", response.status);
    }
    if (error === "invalid_scope") throw new PsaError("HaloPSA does not grant this API application the scope \"all\".", "forbidden", response.status);
    throw new PsaError(`HaloPSA refused the token request${error ? ` (${error})` : ""}.`, "rejected", response.status);
  }
  if (response.status === 404) throw new PsaError("No HaloPSA token endpoint at this address: check the base URL.", "not_found", 404);
  if (!response.ok) throw await errorFor("HaloPSA", response, "HaloPSA refused the client ID or secret.");
  const token = await readJson("HaloPSA", response, tokenAnswer);
  const lifetimeMs = token.expires_in * 1000;
  return { accessToken: token.access_token, renewAt: Date.now() + lifetimeMs - Math.min(renewMarginMs, lifetimeMs / 2) };
}

/**
 * A bearer token for the application: the cached one until shortly before it expires, else a new one (concurrent
 * callers share the request). `renew` drops the cached token first, after the API refused it.
 */
export async function haloToken(settings: HaloSettings, timeoutMs: number, renew = false): Promise<string> {
  const key = cacheKey(settings);
  const cached = cache.get(key);
  if (renew) cache.delete(key);
  else if (cached && cached.renewAt > Date.now()) return cached.accessToken;
  const inFlight = pending.get(key);
  if (inFlight) return inFlight;
  const request = requestToken(settings, timeoutMs)
    .then((token) => {
      cache.set(key, token);
      return token.accessToken;
    })
    .finally(() => pending.delete(key));
  pending.set(key, request);
  return request;
}
