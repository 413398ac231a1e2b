import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { ZodType } from "zod";
import { can, type Permission } from "@/lib/auth/permissions";
import { appOrigin } from "@/lib/env";
import { AppError, toErrorBody } from "@/lib/errors";
import { logger } from "@/lib/logger";
import type { RequestInfo, ServiceContext } from "@/lib/services/context";
import type { ResolvedSession } from "@/lib/services/sessions/resolve";
import { cleanFields } from "./clean-input";
import { contextFor, currentSession } from "./current-session";
import { readJsonBody } from "./json-body";
import { requestInfoFrom } from "./request-info";

type Params = Record<string, string>;
/** params and query: their text well-formed and in NFC (clean-input.ts); read them here, not off req. */
type Common = { req: NextRequest; params: Params; query: Record<string, string>; request: RequestInfo; readJson: <T>(schema?: ZodType<T>) => Promise<T> };
type PublicArgs = Common;
type SessionArgs = Common & { ctx: ServiceContext; session: ResolvedSession };
type Result = NextResponse | Response | Record<string, unknown> | unknown[] | null;

const unsafeMethods = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** The JSON body (json-body.ts: JSON only, at most 64 KiB, text cleaned), parsed by the schema when given. */
async function readJson<T>(req: NextRequest, schema?: ZodType<T>): Promise<T> {
  const { value } = await readJsonBody(req);
  if (value === undefined) throw new AppError("bad_request", "The request body must be JSON.", { field: "body" });
  return schema ? schema.parse(value) : (value as T);
}

async function commonArgs(req: NextRequest, params: Promise<Params>): Promise<Common> {
  return {
    req,
    // A route without dynamic segments gets no params object at all.
    params: cleanFields((await params) ?? {}),
    query: cleanFields(Object.fromEntries(req.nextUrl.searchParams)),
    request: requestInfoFrom(req.headers),
    readJson: (s) => readJson(req, s),
  };
}

function respond(result: Result): Response {
  if (result instanceof Response) return result;
  if (result === null) return new NextResponse(null, { status: 204 });
  return NextResponse.json(result);
}

function fail(err: unknown, req: NextRequest): Response {
  const { status, body, headers } = toErrorBody(err);
  if (status >= 500) logger.error({ err, path: req.nextUrl.pathname }, "request failed");
  return NextResponse.json(body, { status, headers });
}

/** Browsers send Origin on cross-site requests; a cookie-authenticated write from elsewhere is refused. */
function assertSameOrigin(req: NextRequest): void {
  if (!unsafeMethods.has(req.method)) return;
  const origin = req.headers.get("origin");
  if (origin !== appOrigin) throw new AppError("forbidden", "Cross-site request refused.");
}

/**
 * The one wrapper for the console's route handlers: same-origin check for writes, session and
 * permission resolved on the server (the MSP never comes from input), errors mapped to
 * { error: { code, message } } at this edge only.
 */
export function sessionRoute(
  options: { permission?: Permission },
  handler: (args: SessionArgs) => Promise<Result>,
) {
  return async (req: NextRequest, { params }: { params: Promise<Params> }) => {
    try {
      assertSameOrigin(req);
      const session = await currentSession();
      if (!session) throw new AppError("unauthorized", "Sign in to continue.");
      if (options.permission && !can(session.member.role, options.permission)) {
        throw new AppError("forbidden", "Your role does not allow this.");
      }
      const common = await commonArgs(req, params);
      return respond(await handler({ ...common, ctx: contextFor(session, common.request), session }));
    } catch (err) {
      return fail(err, req);
    }
  };
}

/** Route handlers reachable without a session (setup, sign-in, invite acceptance, health). */
export function publicRoute(handler: (args: PublicArgs) => Promise<Result>) {
  return async (req: NextRequest, { params }: { params: Promise<Params> }) => {
    try {
      assertSameOrigin(req);
      return respond(await handler(await commonArgs(req, params)));
    } catch (err) {
      return fail(err, req);
    }
  };
}
