import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import type { Operation } from "@/lib/api/v1/operations";
import { beginIdempotent, finishIdempotent, parseIdempotencyKey, releaseIdempotent, requestHash } from "@/lib/api/v1/idempotency";
import { appOrigin } from "@/lib/env";
import { AppError, toErrorBody } from "@/lib/errors";
import { logger } from "@/lib/logger";
import { requirePermission, requireScope, type RequestInfo, type ServiceContext } from "@/lib/services/context";
import { resolveSession, type ResolvedSession } from "@/lib/services/sessions/resolve";
import { authenticateToken, type TokenPrincipal } from "@/lib/services/tokens/authenticate";
import { cleanFields } from "./clean-input";
import { SESSION_COOKIE } from "./cookies";
import { readJsonBody } from "./json-body";
import { rateLimit } from "./rate-limit";
import { requestInfoFrom } from "./request-info";

/**
 * The one wrapper for /api/v1 route handlers. It builds the ServiceContext from either credential —
 * `Authorization: Bearer|Basic` (an access token; lib/services/tokens/authenticate.ts) or the console's
 * session cookie — and then every route gets the same treatment:
 *   - cookie-authenticated writes keep the same-origin check (CSRF); token calls carry no ambient
 *     credential, so they need none;
 *   - the operation's token scope (requireScope) and role permission (requirePermission) are checked here,
 *     and the services check again;
 *   - per-principal rate limit (Redis), on top of the token-authentication failure limits;
 *   - params, query and body parsed with the operation's zod schemas (422 naming the field), their text
 *     well-formed and in NFC first (clean-input.ts); bodies JSON only (415) and at most 64 KiB (413);
 *   - Idempotency-Key on creating POSTs (lib/api/v1/idempotency.ts);
 *   - the answer parsed through the operation's output schema, so the document and the wire agree;
 *   - every error as { "error": { "code", "message", "field"? } }, 5xx logged and generic.
 * It reads the cookie from the request object (not next/headers), so handlers run the same under
 * `next start` and when a test calls them directly with a NextRequest.
 */

export const API_RATE_LIMIT = { name: "api-v1", points: 600, durationSeconds: 60 } as const;
export const PUBLIC_RATE_LIMIT = { name: "api-v1-public", points: 30, durationSeconds: 60 } as const;
const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

type Out<S> = S extends z.ZodType ? z.input<S> : null;
type In<S> = S extends z.ZodType ? z.output<S> : undefined;

export type Principal =
  | { kind: "token"; ctx: TokenPrincipal; token: TokenPrincipal["token"] }
  | { kind: "session"; ctx: ServiceContext; session: ResolvedSession };

type Handler<O extends Operation, C> = (args: {
  req: NextRequest;
  ctx: C;
  principal: O["auth"] extends "none" ? null : Principal;
  request: RequestInfo;
  params: In<O["params"]>;
  query: In<O["query"]>;
  body: In<O["body"]>;
  /** The JSON body as sent, already validated by op.body: for services that parse their input themselves. */
  rawBody: unknown;
}) => Promise<Out<O["output"]>>;

function contextForSession(session: ResolvedSession, request: RequestInfo): ServiceContext {
  return {
    mspId: session.mspId,
    actor: { type: "member", memberId: session.member.id, role: session.member.role, label: session.member.email, sessionId: session.sessionId },
    request,
    steppedUpAt: session.steppedUpAt,
  };
}

async function authenticate(req: NextRequest, request: RequestInfo): Promise<Principal> {
  const authorization = req.headers.get("authorization");
  if (authorization !== null) {
    const ctx = await authenticateToken(authorization, { ...request, url: req.url });
    return { kind: "token", ctx, token: ctx.token };
  }
  const cookie = req.cookies.get(SESSION_COOKIE)?.value;
  if (!cookie) throw new AppError("unauthorized", "Send an access token (Authorization: Bearer …) or sign in.");
  if (unsafeMethods.has(req.method) && req.headers.get("origin") !== appOrigin) throw new AppError("forbidden", "Cross-site request refused.");
  const session = await resolveSession(cookie);
  if (!session) throw new AppError("unauthorized", "Sign in to continue.");
  return { kind: "session", ctx: contextForSession(session, request), session };
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
  if (status >= 500) logger.error({ err, path: req.nextUrl.pathname }, "api request failed");
  return json(status, body, headers);
}

export function apiRoute<O extends Operation>(
  op: O,
  handler: Handler<O, O["auth"] extends "none" ? null : ServiceContext>,
) {
  return async (req: NextRequest, context: { params: Promise<Record<string, string>> }): Promise<Response> => {
    let claimed: string | null = null;
    try {
      const request = requestInfoFrom(req.headers);
      let principal: Principal | null = null;
      if (op.auth === "none") {
        await rateLimit(PUBLIC_RATE_LIMIT.name, `${op.id}:${request.ip ?? "unknown"}`, PUBLIC_RATE_LIMIT.points, PUBLIC_RATE_LIMIT.durationSeconds);
      } else {
        principal = await authenticate(req, request);
        const principalKey = principal.kind === "token" ? `token:${principal.token.id}` : `member:${principal.session.member.id}`;
        await rateLimit(API_RATE_LIMIT.name, principalKey, API_RATE_LIMIT.points, API_RATE_LIMIT.durationSeconds);
        if (op.scope) requireScope(principal.ctx, op.scope);
        if (op.permission) requirePermission(principal.ctx, op.permission);
      }

      const params = op.params ? parsePart(op.params, cleanFields(await context.params), "params") : undefined;
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
          const principalId = principal.kind === "token" ? `token:${principal.token.id}` : `member:${principal.session.member.id}`;
          const begun = await beginIdempotent({ mspId: principal.ctx.mspId, principal: principalId }, key, hash);
          if ("replay" in begun) return json(begun.replay.status, begun.replay.body, { "idempotent-replayed": "true" });
          claimed = begun.claimed;
        }
      }

      const result = await handler({
        req,
        ctx: (principal?.ctx ?? null) as never,
        principal: principal as never,
        request,
        params: params as never,
        query: query as never,
        body: body as never,
        rawBody,
      });
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
