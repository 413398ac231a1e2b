import type { z } from "zod";
import { parseRetryAfter } from "@/lib/notifications/retry-schedule";
import { PsaError } from "./types";

/** How long one PSA call may take before it counts as unavailable. */
export const defaultPsaTimeoutMs = 15_000;

export interface PsaCall {
  method?: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** One HTTP call to a PSA; no answer (network failure, timeout) is `unavailable`. The URL is never in the message. */
export async function send(psaName: string, url: string, call: PsaCall): Promise<Response> {
  try {
    return await fetch(url, {
      method: call.method ?? "GET",
      headers: call.headers,
      body: call.body,
      redirect: "manual",
      signal: AbortSignal.timeout(call.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new PsaError(timedOut ? `${psaName} did not answer within ${Math.round(call.timeoutMs / 1000)} s.` : `${psaName} could not be reached.`, "unavailable");
  }
}

/** Short, single-line text of a refused call's body, for the message; PSAs explain 400s there. */
async function bodyHint(response: Response): Promise<string> {
  const text = (await response.text().catch(() => "")).replace(/\s+/g, " ").trim();
  return text ? `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}` : "";
}

/** What an unsuccessful answer means for Stint; `unauthorized` says which credentials the PSA refused. */
export async function errorFor(psaName: string, response: Response, unauthorized: string): Promise<PsaError> {
  const { status } = response;
  if (status === 401) return new PsaError(unauthorized, "unauthorized", status);
  if (status === 403) return new PsaError(`${psaName} does not allow this integration to do that: check its permissions.`, "forbidden", status);
  if (status === 404) return new PsaError(`${psaName} has no such record.`, "not_found", status);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
    const retryAfterSeconds = retryAfterMs === null ? undefined : Math.ceil(retryAfterMs / 1000);
    return new PsaError(`${psaName} is rate-limiting Stint${retryAfterSeconds === undefined ? "" : `; retry in ${retryAfterSeconds} s`}.`, "rate_limited", status, retryAfterSeconds);
  }
  if (status >= 500) return new PsaError(`${psaName} failed (HTTP ${status}).`, "unavailable", status);
  if (status >= 300 && status < 400) return new PsaError(`${psaName} answered with a redirect (HTTP ${status}): check the URL.`, "invalid_response", status);
  return new PsaError(`${psaName} refused the request (HTTP ${status})${await bodyHint(response)}`, "rejected", status);
}

/** A successful answer's JSON in the shape Stint relies on; anything else is `invalid_response`. */
export async function readJson<T>(psaName: string, response: Response, schema: z.ZodType<T>): Promise<T> {
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new PsaError(`${psaName} answered with something other than JSON: check the URL.`, "invalid_response", response.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new PsaError(`${psaName} answered in an unexpected shape.`, "invalid_response", response.status);
  return parsed.data;
}
