import type { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import type { TokenScope } from "@/lib/vocabulary/token-scopes";

/**
 * Who may call an operation:
 * - public: nobody signed in (setup, sign-in, the leaked-token report, extension pairing);
 * - session: the console's session cookie only (acts that need a person at a browser);
 * - token: an access token only (Authorization: Bearer|Basic);
 * - session+token: either.
 */
export type Auth = "public" | "session" | "token" | "session+token";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** A fixed window of `points` calls per `durationSeconds`, per client address (public) or principal. */
export type RateLimit = { name: string; points: number; durationSeconds: number };

/**
 * One HTTP operation the product serves, declared once. The route file binds its handler to it
 * (route(operations.x, …)), the OpenAPI document and the typed clients' routes are derived from it,
 * and the API suites walk it. Only client-safe modules may be imported by declarations: the console's
 * forms bundle the same schemas for the browser.
 */
export type Operation = {
  id: string;
  method: HttpMethod;
  /** The full path, OpenAPI style: /api/v1/grants/{grantId}. Under /api/v1: the public, stable API. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  /** The token scope needed (token callers); null = any token. Sessions pass scope checks. */
  scope?: TokenScope | null;
  /** A role permission needed as well (for tokens: role ∩ scope). */
  permission?: Permission;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** The answer's shape, checked before it leaves; null: no content. */
  output: z.ZodType | null;
  /** The success answer (303: a redirect, for the browser steps of a sign-in or consent). */
  status: 200 | 201 | 202 | 204 | 303;
  /**
   * The handler answers with a Response of its own (a redirect, a CSV file, flow cookies set on the
   * answer). `output` still documents the JSON it carries, if any.
   */
  raw?: boolean;
  /** A file answer (with `output: null`): its media type, for the document and for clients that save it. */
  file?: "text/csv" | "application/pdf";
  /**
   * Overrides the default limit (public: per client address and operation; otherwise per principal);
   * null: none, for what must answer even when Redis cannot (health) or is static (the API document).
   */
  rateLimit?: RateLimit | null;
  /** Accepts an Idempotency-Key header (POSTs that create). */
  idempotent?: boolean;
  /**
   * What a replay under the same Idempotency-Key answers, for an operation whose answer must never be
   * given twice (it carries a secret shown once). Only this is kept for the replay, never the answer itself.
   */
  replayAnswer?: (output: never) => { status: number; body: unknown };
  /** Acts on one customer's data: a token restricted to other customers gets 404. */
  customerBound?: boolean;
  /** Answers of this operation beyond the common ones (status → meaning), for the document. */
  errors?: Partial<Record<400 | 403 | 404 | 409 | 410 | 429, string>>;
};

export const op = <const T extends Operation>(o: T) => o;

export const PUBLIC_API_PREFIX = "/api/v1";

/** Part of the public, documented API (the rest serves the console and may change with it). */
export function isPublicApi(o: Pick<Operation, "path">): boolean {
  return o.path.startsWith(`${PUBLIC_API_PREFIX}/`);
}

/** The URL of one call: path parameters filled in (encoded), empty query values left out. */
export function operationUrl(o: Pick<Operation, "path">, params: Record<string, string> = {}, query: Record<string, unknown> = {}): string {
  const path = o.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ""));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** /api/v1/grants/{grantId} → app/api/v1/grants/[grantId]/route.ts */
export function routeFileOf(o: Pick<Operation, "path">): string {
  return `app${o.path.replace(/\{(\w+)\}/g, "[$1]")}/route.ts`;
}
