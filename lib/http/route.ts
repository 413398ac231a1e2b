import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { beginIdempotent, finishIdempotent, parseIdempotencyKey, releaseIdempotent, requestHash } from "@/lib/api/v1/idempotency";
import { isPublicApi, type Operation, type RateLimit } from "@/lib/api/operation";
import { appOrigin } from "@/lib/env";
import { AppError, toErrorBody } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { requirePermission, requireScope, type RequestInfo, type ServiceContext } from "@/lib/services/context";
import { resolveSession, type ResolvedSession } from "@/lib/services/sessions/resolve";
import { authenticateToken, type TokenPrincipal } from "@/lib/services/tokens/authenticate";
import { cleanFields } from "./clean-input";
import { SESSION_COOKIE } from "./cookies";
import { contextFor } from "./session-context";
import { readJsonBody } from "./json-body";
import { rateLimit } from "./rate-limit";
import { requestInfoFrom } from "./request-info";

/**
 * The one wrapper for every route handler. Given the operation's declaration it:
 *   - authenticates as declared: the session cookie, an access token (`Authorization: Bearer|Basic`;
 *     lib/services/tokens/authenticate.ts), either, or nobody;
 *   - refuses cross-site writes that ride on cookies (the session, or a public console step that sets
 *     flow cookies); token calls carry no ambient credential, so they need no such check;
 *   - checks the token scope and the role permission (the services check again);
 *   - applies the rate limit: per principal, or per client address and operation when public;
 *   - parses params, query and body with the operation's schemas (422 naming the field), their text
 *     well-formed and in NFC first (clean-input.ts); bodies JSON only (415) and at most 64 KiB (413);
 *   - honours Idempotency-Key on operations that create;
 *   - checks the answer against the output schema, so the declaration and the wire agree;
 *   - maps every error to { "error": { "code", "message", "field"? } }, 5xx logged and generic.
 * It reads cookies off the request object, so handlers run the same under `next start` and when a test
 * calls them with a NextRequest.
 */

export const API_RATE_LIMIT: RateLimit = { name: "api", points: 600, durationSeconds: 60 };
export const PUBLIC_RATE_LIMIT: RateLimit = { name: "public", points: 30, durationSeconds: 60 };
const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export type Principal =
  | { kind: "token"; ctx: TokenPrincipal; token: TokenPrincipal["token"] }
  | { kind: "session"; ctx: ServiceContext; session: ResolvedSession };

type In<S> = S extends z.ZodType ? z.output<S> : undefined;
type Out<O extends Operation> = O["raw"] extends true ? Response : O["output"] extends z.ZodType ? z.input<O["output"]> : null;
/** Who the handler may find calling, by the operation's auth. */
type PrincipalOf<O extends Operation> = O["auth"] extends "public"
  ? null
  : O["auth"] extends "session"
    ? Extract<Principal, { kind: "session" }>
    : O["auth"] extends "token"
      ? Extract<Principal, { kind: "token" }>
      : Principal;

export type RouteArgs<O extends Operation> = {
  req: NextRequest;
  ctx: O["auth"] extends "public" ? null : ServiceContext;
  principal: PrincipalOf<O>;
  request: RequestInfo;
  params: In<O["params"]>;
  query: In<O["query"]>;
  body: In<O["body"]>;
  /** The JSON body as sent, already validated by op.body: for services that parse their input themselves. */
  rawBody: unknown;
};

function assertSameOrigin(req: NextRequest): void {
  if (unsafeMethods.has(req.method) && req.headers.get("origin") !== appOrigin) throw new AppError("forbidden", "Cross-site request refused.");
}

async function authenticate(op: Operation, req: NextRequest, request: RequestInfo): Promise<Principal> {
  const authorization = req.headers.get("authorization");
  if (authorization !== null) {
    if (op.auth === "session") throw new AppError("forbidden", "Access tokens cannot do this; use the console.");
    const ctx = await authenticateToken(authorization, { ...request, url: req.url });
    return { kind: "token", ctx, token: ctx.token };
  }
  if (op.auth === "token") throw new AppError("unauthorized", "Send an access token (Authorization: Bearer …).");
  const cookie = req.cookies.get(SESSION_COOKIE)?.value;
  if (!cookie) throw new AppError("unauthorized", op.auth === "session" ? "Sign in to continue." : "Send an access token (Authorization: Bearer …) or sign in.");
  assertSameOrigin(req);
  const session = await resolveSession(cookie);
  if (!session) throw new AppError("unauthorized", "Sign in to continue.");
  return { kind: "session", ctx: contextFor(session, request), session };
}

function principalKey(principal: Principal): string {
  return principal.kind === "token" ? `token:${principal.token.id}` : `member:${principal.session.member.id}`;
}

/** A ZodError of one input part as a 422 naming the field (the part itself when the whole part is wrong). */
function parsePart<S extends z.ZodType>(schema: S, value: unknown, part: "params" | "query" | "body"): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".") || part;
  throw new AppError("validation_failed", `${field}: ${issue.message}`, { field });
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const h = { "cache-control": "no-store", ...headers };
  return status === 204 ? new NextResponse(null, { status, headers: h }) : NextResponse.json(body, { status, headers: h });
}

function fail(err: unknown, req: NextRequest): Response {
  const { status, body, headers } = toErrorBody(err);
  if (status >= 500) logger.error({ err, path: req.nextUrl.pathname }, "request failed");
  return json(status, body, headers);
}

export function route<O extends Operation>(op: O, handler: (args: RouteArgs<O>) => Promise<Out<O>>) {
  return async (req: NextRequest, context: { params: Promise<Record<string, string> | undefined> }): Promise<Response> => {
    let claimed: string | null = null;
    try {
      const request = requestInfoFrom(req.headers);
      let principal: Principal | null = null;
      if (op.auth === "public") {
        // Public steps of the console set flow cookies: another site must not drive them.
        if (!isPublicApi(op)) assertSameOrigin(req);
        const limit = op.rateLimit === undefined ? PUBLIC_RATE_LIMIT : op.rateLimit;
        if (limit) await rateLimit(limit.name, `${op.rateLimit ? "" : `${op.id}:`}${request.ip ?? "unknown"}`, limit.points, limit.durationSeconds);
      } else {
        principal = await authenticate(op, req, request);
        const limit = op.rateLimit === undefined ? API_RATE_LIMIT : op.rateLimit;
        if (limit) await rateLimit(limit.name, principalKey(principal), limit.points, limit.durationSeconds);
        if (op.scope) requireScope(principal.ctx, op.scope);
        if (op.permission) requirePermission(principal.ctx, op.permission);
      }

      // A route without dynamic segments gets no params object at all.
      const params = op.params ? parsePart(op.params, cleanFields((await context.params) ?? {}), "params") : undefined;
      const query = op.query ? parsePart(op.query, cleanFields(Object.fromEntries(req.nextUrl.searchParams)), "query") : undefined;
      let raw = "";
      let body: unknown = undefined;
      let rawBody: unknown = undefined;
      if (op.body) {
        const read = await readJsonBody(req);
        raw = read.raw;
        rawBody = read.value;
        body = parsePart(op.body, read.value, "body");
      }

      let hash = "";
      if (op.idempotent && principal) {
        const key = parseIdempotencyKey(req.headers.get("idempotency-key"));
        if (key) {
          hash = requestHash(req.method, req.nextUrl.pathname, raw);
          const begun = await beginIdempotent({ mspId: principal.ctx.mspId, principal: principalKey(principal) }, key, hash);
          if ("replay" in begun) return json(begun.replay.status, begun.replay.body, { "idempotent-replayed": "true" });
          claimed = begun.claimed;
        }
      }

      const result = await handler({ req, ctx: principal?.ctx ?? null, principal, request, params, query, body, rawBody } as RouteArgs<O>);
      if (op.raw) return result as Response;
      let out: unknown = null;
      if (op.output) {
        const checked = op.output.safeParse(result);
        if (!checked.success) throw new Error(`response of ${op.id} does not match its schema: ${checked.error.message}`);
        out = checked.data;
      }
      if (claimed) {
        const kept = op.replayAnswer ? op.replayAnswer(out as never) : { status: op.status, body: out };
        await finishIdempotent(claimed, hash, kept.status, kept.body);
        claimed = null;
      }
      return json(op.status, out);
    } catch (err) {
      if (claimed) await releaseIdempotent(claimed).catch(() => undefined);
      return fail(err, req);
    }
  };
}
