import { randomUUID } from "node:crypto";
import type { Call } from "../http/call";
import { jsonReply, type Reply } from "../http/reply";
import { Router, decodeSegment, splitPath } from "../http/router";
import type { SigningKey } from "../login/signing-key";
import type { InjectedFault } from "../misbehaviour/faults";
import { defaultThrottle, type ThrottleSettings } from "../misbehaviour/settings";
import { applicationLimits, requestCost, tenantLimits, ThrottleBuckets, type ThrottleLimit } from "../misbehaviour/throttle";
import type { EmulatorState } from "../state";
import { authenticate } from "./auth";
import { registerAuthenticationMethodsPolicyRoutes } from "./authentication-methods-policy";
import { parseBatch, runBatch } from "./batch";
import type { GraphCaller, GraphHandler, GraphReply, GraphRequest } from "./context";
import { registerDeletedItemRoutes } from "./deleted-items";
import { GraphError, errorEnvelope, type RequestIds } from "./errors";
import { registerOrganizationRoutes } from "./organization";
import { registerRoleAssignmentRoutes } from "./role-assignments";
import { registerRoleDefinitionRoutes } from "./role-definitions";
import { registerTemporaryAccessPassRoutes } from "./temporary-access-passes";
import { registerUserRoutes } from "./users";

const version = "v1.0";
const jsonContentType = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

interface Operation {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: unknown;
}

/** The Graph v1.0 surface: authentication, misbehaviour, routing, JSON batching, the OData error envelope. */
export class GraphService {
  private readonly router = new Router<GraphHandler>();
  /** Per-application limits across all tenants; configured globally, not per tenant. */
  private appThrottle: ThrottleSettings = defaultThrottle;
  private readonly appBuckets = new ThrottleBuckets();

  constructor(
    private readonly state: EmulatorState,
    private readonly signingKey: SigningKey,
  ) {
    registerUserRoutes(this.router);
    registerDeletedItemRoutes(this.router);
    registerOrganizationRoutes(this.router);
    registerRoleDefinitionRoutes(this.router);
    registerRoleAssignmentRoutes(this.router);
    registerTemporaryAccessPassRoutes(this.router);
    registerAuthenticationMethodsPolicyRoutes(this.router);
  }

  currentAppThrottle(): ThrottleSettings {
    return this.appThrottle;
  }

  configureAppThrottle(settings: ThrottleSettings): void {
    this.appThrottle = settings;
    this.appBuckets.clear();
  }

  async handle(call: Call): Promise<Reply> {
    const started = Date.now();
    const ids: RequestIds = { requestId: randomUUID(), clientRequestId: call.headers["client-request-id"] ?? randomUUID() };
    const serviceRoot = `${call.origin}/${version}`;
    let caller: GraphCaller | undefined;
    let reply: Reply;
    try {
      const [requestedVersion = "", ...segments] = splitPath(call.url.pathname);
      if (requestedVersion !== version) throw new GraphError(400, "BadRequest", `Invalid version: ${requestedVersion}`);
      caller = await authenticate(call.headers.authorization, this.signingKey, this.state);
      await sleep(caller.tenant.misbehaviour.settings.latencyMs);
      const operation: Operation = {
        method: call.method,
        path: normalisePath(segments),
        query: call.url.searchParams,
        headers: call.headers,
        body: parseJsonBody(call),
      };
      reply =
        operation.method === "POST" && operation.path.toLowerCase() === "/$batch"
          ? await this.batch(operation, caller, serviceRoot, ids)
          : await this.execute(operation, caller, serviceRoot, ids);
    } catch (error) {
      reply = errorReply(error, ids);
    }
    reply.headers = {
      ...reply.headers,
      "request-id": ids.requestId,
      "client-request-id": ids.clientRequestId,
      "x-ms-ags-diagnostic": JSON.stringify({ ServerInfo: { DataCenter: "Emulator", Slice: "E", Ring: "0", ScaleUnit: "000", RoleInstance: "emulator" } }),
    };
    this.state.log({
      at: new Date(started).toISOString(),
      requestId: ids.requestId,
      method: call.method,
      path: call.url.pathname + call.url.search,
      surface: "graph",
      status: reply.status,
      durationMs: Date.now() - started,
      tenantId: caller?.tenant.id,
      appId: caller?.appId,
    });
    return reply;
  }

  private async batch(operation: Operation, caller: GraphCaller, serviceRoot: string, ids: RequestIds): Promise<Reply> {
    const items = parseBatch(operation.body);
    const responses = await runBatch(items, async (item) => {
      const started = Date.now();
      const itemIds: RequestIds = { requestId: randomUUID(), clientRequestId: item.headers["client-request-id"] ?? ids.clientRequestId };
      const url = new URL(item.url.replace(/^\//, ""), "https://batch.invalid/");
      const reply = await this.execute(
        { method: item.method, path: normalisePath(splitPath(url.pathname)), query: url.searchParams, headers: item.headers, body: item.body },
        caller,
        serviceRoot,
        itemIds,
      );
      this.state.log({
        at: new Date(started).toISOString(),
        requestId: itemIds.requestId,
        method: item.method,
        path: `/${version}${url.pathname}${url.search}`,
        surface: "graph",
        status: reply.status,
        durationMs: Date.now() - started,
        tenantId: caller.tenant.id,
        appId: caller.appId,
        batchRequestId: ids.requestId,
      });
      return reply;
    });
    return jsonReply(200, { responses }, { "content-type": jsonContentType });
  }

  /**
   * One Graph operation, directly or as a batch item: fault injection, throttling, then the handler. A fault drawn
   * with `afterHandler`, or a lost create, lets the operation run and replaces its answer: the write happened, the
   * caller never learns it.
   */
  private async execute(operation: Operation, caller: GraphCaller, serviceRoot: string, ids: RequestIds): Promise<Reply> {
    const misbehaviour = caller.tenant.misbehaviour;
    const request = `${operation.method} ${operation.path}`;
    const fault = misbehaviour.faults.draw(request);
    if (fault && !fault.afterHandler) return errorReply(transientFailure(fault), ids);
    const reply = await this.run(operation, caller, serviceRoot, ids);
    if (fault) return errorReply(transientFailure(fault), ids);
    const lostStatus =
      reply.status === 201 && reply.createdObjectKey !== undefined ? misbehaviour.lostCreates.draw(request, reply.createdObjectKey) : undefined;
    return lostStatus ? errorReply(transientFailure({ status: lostStatus }), ids) : reply;
  }

  private async run(operation: Operation, caller: GraphCaller, serviceRoot: string, ids: RequestIds): Promise<GraphReply> {
    try {
      const cost = requestCost(operation.method, operation.path, operation.query);
      const throttleHeaders = this.admit(caller, cost);

      const match = this.router.match(operation.method, operation.path);
      if (match.kind === "method-not-allowed") {
        throw new GraphError(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.");
      }
      if (match.kind === "not-found") {
        const segments = splitPath(operation.path);
        throw new GraphError(400, "BadRequest", `Resource not found for the segment '${segments[segments.length - 1] ?? ""}'.`);
      }
      const req: GraphRequest = { ...operation, caller, serviceRoot };
      const reply = await match.handler(req, match.params);
      const headers: Record<string, string> = { ...throttleHeaders, ...reply.headers };
      if (reply.json !== undefined) headers["content-type"] = jsonContentType;
      return { ...reply, headers };
    } catch (error) {
      return errorReply(error, ids);
    }
  }

  private admit(caller: GraphCaller, cost: { resourceUnits: number; writes: number }): Record<string, string> {
    const tenant = caller.tenant;
    const tenantSettings = tenant.misbehaviour.settings.throttle;
    const checks = [
      tenantSettings.enabled
        ? { settings: tenantSettings, check: tenant.misbehaviour.throttleBuckets.check(tenantLimits(tenantSettings, caller.appId, tenant.id, tenant.users.size), cost) }
        : undefined,
      this.appThrottle.enabled
        ? { settings: this.appThrottle, check: this.appBuckets.check(applicationLimits(this.appThrottle, caller.appId), cost) }
        : undefined,
    ];
    const headers: Record<string, string> = { "x-ms-resource-unit": String(cost.resourceUnits) };
    for (const entry of checks) {
      if (entry && !entry.check.admitted) throw throttled(entry.check.limit, entry.check.retryAfterMs, entry.settings.retryAfter);
    }
    for (const entry of checks) {
      if (entry?.check.admitted) Object.assign(headers, entry.check.commit());
    }
    return headers;
  }
}

/**
 * `/users('x@y.com')` (Graph requires it for UPNs starting with `$`) becomes `/users/x@y.com`, so routes need only
 * the segment form.
 */
function normalisePath(segments: string[]): string {
  const out: string[] = [];
  for (const segment of segments) {
    const keyed = /^([A-Za-z]+)\('(.*)'\)$/.exec(decodeSegment(segment));
    if (keyed) out.push(keyed[1] as string, encodeURIComponent(keyed[2] as string));
    else out.push(segment);
  }
  return `/${out.join("/")}`;
}

function parseJsonBody(call: Call): unknown {
  if (call.body.length === 0) return undefined;
  const unreadable = new GraphError(
    400,
    "BadRequest",
    "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
  );
  if (!/^application\/json\b/i.test(call.headers["content-type"] ?? "")) throw unreadable;
  try {
    return JSON.parse(call.body.toString("utf8"));
  } catch {
    throw unreadable;
  }
}

/** Graph's throttling answer, as its throttling guidance shows it. */
function tooManyRequests(headers: Record<string, string>): GraphError {
  return new GraphError(429, "TooManyRequests", "Please retry again later.", {
    headers,
    innerError: { code: "429", message: "Please retry after", status: "429" },
  });
}

function throttled(limit: ThrottleLimit, retryAfterMs: number, sendRetryAfter: boolean): GraphError {
  return tooManyRequests({
    ...(sendRetryAfter ? { "retry-after": (retryAfterMs / 1000).toFixed(3) } : {}),
    "x-ms-throttle-scope": limit.scope,
    "x-ms-throttle-information": limit.kind === "writes" ? "WriteLimitExceeded" : "ResourceUnitLimitExceeded",
  });
}

function transientFailure({ status, retryAfterSeconds }: Pick<InjectedFault, "status" | "retryAfterSeconds">): GraphError {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { "retry-after": String(retryAfterSeconds) };
  if (status === 429) return tooManyRequests(headers);
  return status === 503
    ? new GraphError(503, "serviceNotAvailable", "The service is temporarily unavailable. Please try again later.", { headers })
    : new GraphError(504, "gatewayTimeout", "The gateway did not receive a response in time.", { headers });
}

function errorReply(error: unknown, ids: RequestIds): Reply {
  const graphError =
    error instanceof GraphError ? error : new GraphError(500, "InternalServerError", error instanceof Error ? error.message : String(error));
  return jsonReply(graphError.status, errorEnvelope(graphError, ids), { ...graphError.extra.headers, "content-type": jsonContentType });
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
