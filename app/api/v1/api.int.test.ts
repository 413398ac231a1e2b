import { createHash } from "node:crypto";
import path from "node:path";
import fc from "fast-check";
import { NextRequest } from "next/server";
import { can } from "@/lib/auth/permissions";
import { beforeAll, describe, expect, it } from "vitest";
import { tokenScopes, type TokenScope } from "@/lib/vocabulary/token-scopes";
import { documentedOperations, openApiDocument } from "@/lib/api/v1/openapi";
import { isPublicApi, PUBLIC_API_PREFIX, routeFileOf, type Operation } from "@/lib/api/operation";
import { operationList as everyOperation } from "@/lib/api/operations";
import { decryptSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import { appOrigin, env } from "@/lib/env";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { SESSION_COOKIE } from "@/lib/http/cookies";
import { API_RATE_LIMIT } from "@/lib/http/route";
import { createCustomer } from "@/lib/services/customers/create";
import { verifyAuditChain } from "@/lib/services/audit/verify-chain";
import { requestGrant } from "@/lib/services/grants/request";
import { bearer, freshIp, newToken } from "@/lib/services/tokens/test-helpers";
import { issueLaunchTicket, type LaunchTicketBinding } from "@/lib/tickets/launch-ticket";
import { getRedis } from "@/lib/redis";
import { contextFor, lastAudit, seedMspDirectly, steppedUpContext, type TestMsp } from "@/test/factories";
import { jitReadyCustomer } from "@/test/grants";

/**
 * Walks every /api/v1 operation of the OpenAPI document through its real route handler: no auth,
 * another MSP's token, a token without the scope, a token restricted to another customer, and
 * property-based malformed input generated from the document's own schemas.
 */

/** The public API: the token semantics below (scopes, customer restriction, another MSP's token) are its. */
const operationList = everyOperation.filter(isPublicApi);

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
const root = process.cwd();

let a: TestMsp;
let b: TestMsp;
/** The MSP whose owner's session drives the console's operations through hostile input: what it changes stays there. */
let c: TestMsp;
let ids: Record<string, string>;
/** What a launch ticket of the suite is bound to: the technician's token and the fixture grant. */
let ticketBinding: LaunchTicketBinding;
let tokens: { full: string; tech: string; restricted: string; foreign: string; without: Record<TokenScope, string> };

async function handlerOf(op: Operation): Promise<Handler> {
  const mod = (await import(path.join(root, routeFileOf(op)))) as Record<string, Handler>;
  const h = mod[op.method];
  if (!h) throw new Error(`${routeFileOf(op)} does not export ${op.method}`);
  return h;
}

function urlOf(op: Operation, query: Record<string, string> = {}): { url: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const p = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (params[name] = ids[name] ?? "id-of-nothing"));
  const qs = new URLSearchParams(query).toString();
  return { url: `http://localhost:3000${p}${qs ? `?${qs}` : ""}`, params };
}

type CallInit = { auth?: string; cookie?: string; origin?: string; body?: unknown; rawBody?: string; query?: Record<string, string>; headers?: Record<string, string>; params?: Record<string, string> };

async function call(op: Operation, init: CallInit = {}) {
  const { url, params: validParams } = urlOf(op, init.query);
  const params = { ...validParams, ...init.params };
  const body = init.rawBody ?? (init.body !== undefined ? JSON.stringify(init.body) : op.method === "POST" ? JSON.stringify(validBody(op)) : undefined);
  const headers: Record<string, string> = {
    [CLIENT_ADDRESS_HEADER]: freshIp(),
    "user-agent": "vitest api suite",
    ...(body !== undefined ? { "content-type": "application/json" } : {}),
    ...init.headers,
  };
  if (init.auth) headers.authorization = init.auth;
  if (init.cookie) headers.cookie = `${SESSION_COOKIE}=${init.cookie}`;
  // What a browser sends on the console's own requests: its origin (a public step sets flow cookies).
  const origin = init.origin ?? (isPublicApi(op) ? undefined : appOrigin);
  if (origin) headers.origin = origin;
  const res = await (await handlerOf(op))(new NextRequest(url, { method: op.method, headers, body }), { params: Promise.resolve(params) });
  const text = await res.text();
  const isJson = res.headers.get("content-type")?.includes("json") ?? false;
  return { status: res.status, text, json: text && isJson ? (JSON.parse(text) as { error?: { code: string; field?: string } } & Record<string, unknown>) : null, headers: res.headers };
}

/** Starts `principal`'s API rate-limit window afresh. */
async function forgetRateLimits(principal: string): Promise<void> {
  const redis = getRedis();
  const keys = await redis.keys(`${env.QUEUE_PREFIX}:rl:${API_RATE_LIMIT.name}:${principal}`);
  if (keys.length) await redis.del(...keys);
}

function validBody(op: Operation): unknown {
  switch (op.id) {
    case "requestGrant":
      return { customerId: ids.customerId, accessLevelIds: [ids.accessLevelId], durationMinutes: 60, justification: "Investigating a ticket for the customer", consentAccepted: true };
    case "extendGrant":
      return { minutes: 15 };
    case "revokeGrant":
      return { reason: "Revoked by the API suite" };
    case "createToken":
      return { name: "From the API suite", scopes: ["grants:read"], expiresInDays: 7 };
    case "reportLeakedToken":
      return { token: "stp_notarealtoken" };
    case "redeemLaunchTicket":
      return { ticket: issueLaunchTicket(ticketBinding).ticket }; // fresh each call: a ticket lives ≤ 60 s
    case "startExtensionPairing":
      return { deviceLabel: "Chrome on Linux" };
    case "pollExtensionPairing":
      return { deviceCode: "A".repeat(43) };
    case "denyGrant":
      return { reason: "Not now, from the API suite" };
    case "approveGrant":
    case "reviewEmergencyGrant":
      return {};
    case "evaluatePolicy":
      return { action: "grants:write", resource: { customerId: ids.customerId, accessLevelIds: [ids.accessLevelId] } };
    default:
      return undefined;
  }
}

const authed = operationList.filter((op) => op.auth !== "public");
/** The console's own operations: session only, or public steps before sign-in. */
const consoleOperations = everyOperation.filter((op) => !isPublicApi(op));
const opNamed = (id: string) => operationList.find((o) => o.id === id)!;

beforeAll(async () => {
  a = await seedMspDirectly();
  b = await seedMspDirectly();
  c = await seedMspDirectly();
  const ready = await jitReadyCustomer(a);
  const other = await createCustomer(contextFor(a.owner), { name: "Other customer" });
  const grant = await requestGrant(contextFor(ready.technician), { customerId: ready.customer.id, accessLevelIds: [ready.level.id], durationMinutes: 60, justification: "Fixture grant for the API suite" });
  const full = await newToken(a.owner, { scopes: [...tokenScopes] });
  // One at a time: each token uses up its own step-up of the same session.
  const without = {} as Record<TokenScope, string>;
  for (const sc of tokenScopes) without[sc] = (await newToken(a.owner, { scopes: tokenScopes.filter((x) => x !== sc) })).token;
  const tech = await newToken(ready.technician, { scopes: [...tokenScopes] });
  tokens = {
    full: full.token,
    tech: tech.token,
    restricted: (await newToken(a.owner, { scopes: [...tokenScopes], customerIds: [other.id] })).token,
    foreign: (await newToken(b.owner, { scopes: [...tokenScopes] })).token,
    without,
  };
  ticketBinding = { mspId: a.mspId, grantId: grant.id, memberId: ready.technician.id, tokenId: tech.id };
  ids = { customerId: ready.customer.id, accessLevelId: ready.level.id, grantId: grant.id, tokenId: full.id, otherCustomerId: other.id };
}, 120_000);

describe("the public document", () => {
  it("documents every /api/v1 operation of the registry, and nothing else", () => {
    const doc = openApiDocument();
    const documented = Object.entries(doc.paths ?? {}).flatMap(([p, methods]) => Object.keys(methods as object).map((m) => `${m.toUpperCase()} ${PUBLIC_API_PREFIX}${p}`));
    expect(documented.sort()).toEqual(documentedOperations().map((op) => `${op.method} ${op.path}`).sort());
  });

  it("declares each file answer's media type, and the file comes with it", async () => {
    const doc = openApiDocument();
    const files = documentedOperations().filter((op) => op.file);
    expect(files.map((op) => op.id).sort()).toEqual(["exportGrants", "getCustomerStatementPdf"]);
    for (const op of files) {
      const path = (doc.paths as Record<string, Record<string, { responses: Record<string, { content: Record<string, unknown> }> }>>)[op.path.slice(PUBLIC_API_PREFIX.length)]!;
      expect(Object.keys(path[op.method.toLowerCase()]!.responses["200"]!.content)).toEqual([op.file]);
      const res = await call(op, { auth: bearer(tokens.full) });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain(op.file!);
    }
  });
});

describe.each(authed.map((op) => [`${op.method} ${op.path}`, op] as const))("%s", (_name, op) => {
  it("answers 401 without credentials, and for a garbage token", async () => {
    expect((await call(op)).status).toBe(401);
    const bad = await call(op, { auth: "Bearer stp_garbage" });
    expect(bad.status).toBe(401);
    expect(bad.json?.error?.code).toBe("unauthorized");
  });

  it("does not reveal another MSP's data to its token", async () => {
    // Revoking the calling token would spend the shared foreign token: that call gets one of its own.
    const foreign = op.id === "revokeCurrentToken" ? (await newToken(b.owner, { scopes: [...tokenScopes] })).token : tokens.foreign;
    const res = await call(op, { auth: bearer(foreign) });
    expect(res.status).toBeLessThan(500);
    if (res.status < 400) {
      for (const v of [a.mspId, ids.customerId, ids.grantId, ids.tokenId]) expect(res.text).not.toContain(v);
    } else {
      expect([403, 404, 409, 422]).toContain(res.status);
      if (op.params) expect(res.status).toBe(404);
    }
  });

  if (op.scope) {
    it(`answers 403 to a token without ${op.scope}`, async () => {
      const res = await call(op, { auth: bearer(tokens.without[op.scope!]) });
      expect(res.status).toBe(403);
      expect(res.json?.error?.code).toBe("forbidden");
    });
  }

  if (op.customerBound) {
    it("answers 404 to a token restricted to another customer", async () => {
      const res = await call(op, { auth: bearer(tokens.restricted) });
      expect(res.status).toBe(404);
    });
  }
});

// ---- malformed input from the document's schemas ------------------------------------------------------

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; maxLength?: number; enum?: unknown[]; $ref?: string; anyOf?: JsonSchema[] };

function resolve(s: JsonSchema | undefined): JsonSchema | undefined {
  if (!s?.$ref) return s;
  const name = s.$ref.split("/").at(-1)!;
  return (openApiDocument("everything").components?.schemas as Record<string, JsonSchema>)[name];
}

// Deterministic in CI (a failure names its seed); set FC_SEED to explore other inputs locally.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261123) });

const notCoercible = fc.oneof(fc.record({ x: fc.integer() }), fc.array(fc.record({ y: fc.string() }), { minLength: 1, maxLength: 3 }));
/** A value of the wrong type for a field: objects get scalars, everything else gets objects or arrays. */
const wrongFor = (schema: JsonSchema | undefined) => (schema?.type === "object" ? fc.oneof(fc.integer(), fc.constant("not an object"), fc.array(fc.integer(), { minLength: 1 })) : notCoercible);

describe("malformed bodies and queries answer 4xx naming the field, never 5xx", () => {
  const withBody = operationList.filter((op) => op.body);
  it.each(withBody.map((op) => [op.id, op] as const))("%s body", async (_id, op) => {
    const doc = openApiDocument("everything");
    const schema = resolve((doc.paths![op.path] as Record<string, { requestBody: { content: Record<string, { schema: JsonSchema }> } }>)[op.method.toLowerCase()]!.requestBody.content["application/json"]!.schema)!;
    const props = Object.keys(schema.properties ?? {});
    const stringProps = props.filter((p) => resolve(schema.properties![p])?.type === "string");
    const valid = validBody(op) as Record<string, unknown>;
    const mutation = fc.oneof(
      fc.constantFrom(...props).chain((field) => fc.record({ kind: fc.constant("wrongType" as const), field: fc.constant(field), value: wrongFor(resolve(schema.properties![field])) })),
      ...(schema.required?.length ? [fc.record({ kind: fc.constant("missing" as const), field: fc.constantFrom(...schema.required) })] : []),
      ...(stringProps.length ? [fc.record({ kind: fc.constant("huge" as const), field: fc.constantFrom(...stringProps), size: fc.integer({ min: 5_000, max: 80_000 }) })] : []),
      fc.record({ kind: fc.constant("notAnObject" as const), value: fc.oneof(fc.integer(), fc.string({ maxLength: 20 }), fc.constant(null), fc.array(fc.integer())) }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        let body: unknown;
        if (m.kind === "notAnObject") body = m.value;
        else {
          const copy: Record<string, unknown> = { ...valid };
          if (m.kind === "missing") delete copy[m.field];
          else if (m.kind === "wrongType") copy[m.field] = m.value;
          else copy[m.field] = "x".repeat(m.size);
          body = copy;
        }
        const res = await call(op, { auth: op.auth === "public" ? undefined : bearer(tokens.full), body });
        expect(res.status, `${JSON.stringify(m).slice(0, 200)} → ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(typeof res.json?.error?.field).toBe("string");
        if (m.kind === "missing" || m.kind === "wrongType") expect(res.json!.error!.field!.split(".")[0]).toBe(m.field);
      }),
      { numRuns: 12 },
    );
  });

  const withQuery = operationList.filter((op) => op.query);
  it.each(withQuery.map((op) => [op.id, op] as const))("%s query", async (_id, op) => {
    const doc = openApiDocument("everything");
    const parameters = ((doc.paths![op.path] as Record<string, { parameters?: { name: string; in: string; schema: JsonSchema }[] }>)[op.method.toLowerCase()]!.parameters ?? []).filter((p) => p.in === "query");
    const badValue = (s: JsonSchema): fc.Arbitrary<string> | null => {
      if (s.enum) return fc.string({ minLength: 1, maxLength: 10 }).map((v) => `zz${v}`);
      if (s.type === "integer" || s.type === "number") return fc.constantFrom("abc", "1.5", "-3", "1e9");
      if (s.type === "string" && s.maxLength !== undefined) return fc.integer({ min: s.maxLength + 1, max: s.maxLength + 5_000 }).map((n) => "q".repeat(n));
      return null;
    };
    const candidates = parameters.map((p) => ({ name: p.name, bad: badValue(p.schema) })).filter((c): c is { name: string; bad: fc.Arbitrary<string> } => c.bad !== null);
    expect(candidates.length).toBeGreaterThan(0);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...candidates).chain((c) => c.bad.map((v) => ({ name: c.name, v }))), async ({ name, v }) => {
        const res = await call(op, { auth: bearer(tokens.full), query: { [name]: v } });
        expect(res.status, `${name}=${v.slice(0, 40)} → ${res.text.slice(0, 200)}`).toBe(422);
        expect(res.json?.error?.field).toBe(name);
      }),
      { numRuns: 12 },
    );
  });

  it("a forged cursor is refused", async () => {
    const op = operationList.find((o) => o.id === "listCustomers")!;
    const res = await call(op, { auth: bearer(tokens.full), query: { cursor: Buffer.from(JSON.stringify({ k: "grants", o: 0 })).toString("base64url") } });
    expect(res.status).toBe(422);
    expect(res.json?.error?.field).toBe("cursor");
  });
});

// ---- hostile input ---------------------------------------------------------------------------------------

/** Text that breaks naive handling: lone surrogates, NUL and other controls, NFD, bidi overrides, huge. */
const hostileText = fc.oneof(
  fc.constantFrom("\ud800", "x\udfff", "\ud83d", "\u0000", "a\u0000b", "\u0007", "\u001b[2J", "\u007f", "line\r\nbreak", "Cafe\u0301", "\ufffd", "\u202eevil", "%00", "../../x"),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.integer({ min: 65_000, max: 70_000 }).map((n) => "y".repeat(n)),
);
const hostileValue = fc.oneof(
  hostileText,
  fc.constantFrom(1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, -1, 0, 1.5, true, null, "0x10", "1e1", "+099999-01-01T00:00:00Z", "-000001-01-01", "0000-01-01"),
  fc.array(hostileText, { maxLength: 3 }),
  fc.dictionary(hostileText, hostileText, { maxKeys: 2 }),
);
/** Numbers and times in forms a lenient parser would guess at, and values out of any range. */
const hostileQueryValue = fc.oneof(
  fc.constantFrom("\u0000", "\u001b", "0x10", "1e1", "0b1", " 8", "", "-0", "99999999999999999999", "+099999-01-01", "99999-01-01", "0000-01-01", "9999-12-31T23:59:59-01:00", "1", "Cafe\u0301"),
  fc.string({ unit: "binary", maxLength: 20 }),
);

type Mutation =
  | { kind: "param"; name: string; value: string; appended: boolean }
  | { kind: "query"; name: string; value: string }
  | { kind: "body"; name: string; value: unknown }
  | { kind: "contentType"; type: string }
  | { kind: "rawBody"; raw: string };

function bodyProperties(op: Operation): string[] {
  const doc = openApiDocument("everything");
  const schema = resolve((doc.paths![op.path] as Record<string, { requestBody: { content: Record<string, { schema: JsonSchema }> } }>)[op.method.toLowerCase()]!.requestBody.content["application/json"]!.schema)!;
  return Object.keys(schema.properties ?? {});
}

describe("the console's operations", () => {
  const sessionOnly = consoleOperations.filter((op) => op.auth === "session");
  it.each(sessionOnly.map((op) => [op.id, op] as const))("%s answers 401 signed out, and refuses access tokens", async (_id, op) => {
    const signedOut = await call(op);
    expect(signedOut.status).toBe(401);
    expect(signedOut.json?.error?.code).toBe("unauthorized");
    const byToken = await call(op, { auth: bearer(tokens.full) });
    expect(byToken.status).toBe(403);
    expect(byToken.json?.error?.code).toBe("forbidden");
  });

  it.each(sessionOnly.filter((op) => op.method !== "GET").map((op) => [op.id, op] as const))("%s refuses a cross-site write riding on the cookie", async (_id, op) => {
    const res = await call(op, { cookie: c.owner.session.token, origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.json?.error?.code).toBe("forbidden");
  });
});

describe("hostile input: never a 5xx, always the envelope, only documented answers, and the audit chain holds", () => {
  const withInput = everyOperation.filter((op) => op.params || op.query || op.body);
  it.each(withInput.map((op) => [op.id, op] as const))("%s", async (_id, op) => {
    const doc = openApiDocument("everything");
    const documented = Object.keys((doc.paths![op.path] as Record<string, { responses: Record<string, unknown> }>)[op.method.toLowerCase()]!.responses).map(Number);
    const mutations: fc.Arbitrary<Mutation>[] = [];
    if (op.params) {
      const names = Object.keys(op.params.shape);
      mutations.push(fc.record({ kind: fc.constant("param" as const), name: fc.constantFrom(...names), value: hostileText, appended: fc.boolean() }));
    }
    if (op.query) mutations.push(fc.record({ kind: fc.constant("query" as const), name: fc.constantFrom(...Object.keys(op.query.shape), "unexpected"), value: hostileQueryValue }));
    // The console's operations share one member's request budget: each gets it whole, as a member's session would.
    if (op.auth === "session") await forgetRateLimits(`member:${c.owner.id}`);
    // So do the API's, for the two tokens that drive them.
    else await Promise.all([forgetRateLimits(`token:${ids.tokenId}`), forgetRateLimits(`token:${ticketBinding.tokenId}`)]);
    if (op.body) {
      mutations.push(
        fc.record({ kind: fc.constant("body" as const), name: fc.constantFrom(...bodyProperties(op), "unexpected"), value: hostileValue }),
        fc.record({ kind: fc.constant("contentType" as const), type: fc.constantFrom("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/xml") }),
        fc.record({ kind: fc.constant("rawBody" as const), raw: fc.constantFrom('{"a":"\\ud800"}', "\u0000", "[", '"\\u0000"', "{}".padEnd(70_000), "\ud800", "null", "1e999") }),
      );
    }
    await fc.assert(
      fc.asyncProperty(fc.oneof(...mutations), fc.constantFrom("full", "tech") as fc.Arbitrary<"full" | "tech">, async (m, who) => {
        const init: CallInit =
          op.auth === "public" ? {} : op.auth === "session" ? { cookie: c.owner.session.token } : { auth: bearer(tokens[who]) };
        if (m.kind === "param") init.params = { [m.name]: m.appended ? `${ids[m.name] ?? "id-of-nothing"}${m.value}` : m.value };
        else if (m.kind === "query") init.query = { [m.name]: m.value };
        else if (m.kind === "body") init.rawBody = JSON.stringify({ ...(validBody(op) as Record<string, unknown>), [m.name]: m.value });
        else if (m.kind === "contentType") init.headers = { "content-type": m.type };
        else init.rawBody = m.raw;
        // Revoking is the one act here that would end the suite's fixture grant: its hostile calls aim at no grant.
        if (op.id === "revokeGrant" && m.kind !== "param") init.params = { grantId: "gr_0000000000000" };
        const res = await call(op, init);
        const what = `${JSON.stringify(m).slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`;
        expect(res.status, what).toBeLessThan(500);
        expect(documented, what).toContain(res.status);
        if (res.status >= 400) {
          expect(Object.keys(res.json ?? {}), what).toEqual(["error"]);
          expect(res.json!.error, what).toMatchObject({ code: expect.any(String), message: expect.any(String) });
        }
        // A caller whose role lacks the operation's permission is refused before the body is read.
        if (m.kind === "contentType") expect(res.status, what).toBe(op.permission && who === "tech" && op.auth !== "session" && !can("technician", op.permission) ? 403 : 415);
      }),
      { numRuns: 40 },
    );
  });

  it("leaves every MSP's audit chain intact", async () => {
    for (const msp of [a, b, c]) expect(await verifyAuditChain(msp.mspId)).toMatchObject({ ok: true, firstBrokenSeq: null });
  });

  it("a lone surrogate in a justification is refused before anything is stored or hashed", async () => {
    const op = opNamed("requestGrant");
    const res = await call(op, { auth: bearer(tokens.full), rawBody: JSON.stringify({ ...(validBody(op) as object), justification: "Investigating \ud800 the ticket" }) });
    expect(res.status).toBe(422);
    expect(res.json?.error).toMatchObject({ code: "validation_failed", field: "justification" });
    expect(await verifyAuditChain(a.mspId)).toMatchObject({ ok: true });
  });

  it("refuses limits that are not plain decimal, and times Postgres cannot hold", async () => {
    const audit = opNamed("listAuditEvents");
    for (const limit of ["0x10", "1e1", "0b1", " 8", "", "+8", "8.0"]) {
      const res = await call(audit, { auth: bearer(tokens.full), query: { limit } });
      expect(res.status, limit).toBe(422);
      expect(res.json?.error?.field).toBe("limit");
    }
    expect((await call(audit, { auth: bearer(tokens.full), query: { limit: "16" } })).status).toBe(200);
    for (const from of ["99999-01-01", "+099999-01-01T00:00:00Z", "0000-01-01", "9999-12-31T23:59:59-01:00", "1", "yesterday"]) {
      const res = await call(audit, { auth: bearer(tokens.full), query: { from } });
      expect(res.status, from).toBe(422);
      expect(res.json?.error?.field).toBe("from");
    }
    expect((await call(audit, { auth: bearer(tokens.full), query: { from: "2026-01-31", to: "2099-01-01T00:00:00+02:00" } })).status).toBe(200);
  });

  it("refuses a NUL in a path id, a query filter and a body field with 4xx", async () => {
    const getGrantOp = opNamed("getGrant");
    expect((await call(getGrantOp, { auth: bearer(tokens.tech), params: { grantId: "gr_\u0000" } })).status).toBe(422);
    const audit = opNamed("listAuditEvents");
    expect((await call(audit, { auth: bearer(tokens.full), query: { action: "grant.\u0000" } })).json?.error).toMatchObject({ field: "action" });
    const res = await call(opNamed("requestGrant"), { auth: bearer(tokens.full), rawBody: JSON.stringify({ ...(validBody(opNamed("requestGrant")) as object), customerId: "cus_\u0000" }) });
    expect(res.status).toBe(422);
    expect(res.json?.error).toMatchObject({ field: "customerId" });
  });

  it("refuses a body over 64 KiB by its declared length, and bodies that are not JSON with 415", async () => {
    const op = opNamed("evaluatePolicy");
    const big = await call(op, { auth: bearer(tokens.full), rawBody: JSON.stringify({ action: "grants:read", pad: "z".repeat(70_000) }) });
    expect(big.status).toBe(413);
    expect(big.json?.error).toMatchObject({ code: "payload_too_large", field: "body" });
    const text = await call(op, { auth: bearer(tokens.full), headers: { "content-type": "text/plain" } });
    expect(text.status).toBe(415);
    expect(text.json?.error?.code).toBe("unsupported_media_type");
  });
});

describe("the wrapper", () => {
  const me = () => operationList.find((o) => o.id === "getMe")!;
  const requestGrantOp = () => operationList.find((o) => o.id === "requestGrant")!;

  it("accepts the console session cookie, and refuses cross-site cookie writes", async () => {
    const res = await call(me(), { cookie: a.owner.session.token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ authenticatedBy: "session", mspId: a.mspId });
    const write = await call(operationList.find((o) => o.id === "evaluatePolicy")!, { cookie: a.owner.session.token, origin: "https://evil.example" });
    expect(write.status).toBe(403);
    const same = await call(operationList.find((o) => o.id === "evaluatePolicy")!, { cookie: a.owner.session.token, origin: appOrigin });
    expect(same.status).toBe(200);
    // The extension's origin may call with its token (CORS, proxy.ts), never ride the console's cookie.
    const fromExtension = await call(operationList.find((o) => o.id === "evaluatePolicy")!, { cookie: a.owner.session.token, origin: "chrome-extension://abcdefghijklmnopabcdefghijklmnop" });
    expect(fromExtension.status).toBe(403);
  });

  it("lists grants with their customer's and access levels' names (what the extension's popup shows)", async () => {
    const res = await call(operationList.find((o) => o.id === "listGrants")!, { auth: bearer(tokens.tech) });
    expect(res.status).toBe(200);
    const items = (res.json as { items: Record<string, unknown>[] }).items;
    expect(items.find((g) => g.id === ids.grantId)).toMatchObject({
      customerId: ids.customerId,
      customer: { name: expect.any(String), isSandbox: false },
      accessLevelIds: [ids.accessLevelId],
      accessLevels: [{ id: ids.accessLevelId, name: expect.any(String) }],
    });
    const one = await call(operationList.find((o) => o.id === "getGrant")!, { auth: bearer(tokens.tech) });
    expect(one.json).toMatchObject({ customer: { name: expect.any(String) }, accessLevels: [{ id: ids.accessLevelId }] });
  });

  it("lists every grant the caller may see by default, their own with mine=true, each with its technician's name and e-mail", async () => {
    const list = async (token: string, query: Record<string, string> = {}) => {
      const res = await call(operationList.find((o) => o.id === "listGrants")!, { auth: bearer(token), query });
      expect(res.status).toBe(200);
      return (res.json as { items: { id: string; member: { name: string; email: string } }[] }).items;
    };
    // The owner sees the technician's grant without asking for all of them; with mine=true only their own.
    const everyone = await list(tokens.full);
    expect(everyone.find((g) => g.id === ids.grantId)).toMatchObject({ memberId: ticketBinding.memberId, member: { name: expect.any(String), email: expect.stringContaining("@") } });
    expect((await list(tokens.full, { mine: "true" })).map((g) => g.id)).not.toContain(ids.grantId);
    expect((await list(tokens.full, { memberId: ticketBinding.memberId })).map((g) => g.id)).toEqual([ids.grantId]);
    expect((await list(tokens.full, { memberId: "mem_nobody" })).map((g) => g.id)).toEqual([]);
    // A technician sees their own (memberId cannot widen it); a token limited to another customer sees none of it.
    expect((await list(tokens.tech)).map((g) => g.id)).toContain(ids.grantId);
    expect((await list(tokens.restricted)).map((g) => g.id)).not.toContain(ids.grantId);
    const bad = await call(operationList.find((o) => o.id === "listGrants")!, { auth: bearer(tokens.full), query: { mine: "yes" } });
    expect(bad.status).toBe(422);
    expect(bad.json!.error).toMatchObject({ code: "validation_failed", field: "mine" });
  });

  it("lists the MSP's members for a token with members:read whose owner may read them; never for a technician", async () => {
    const op = operationList.find((o) => o.id === "listMembers")!;
    const res = await call(op, { auth: bearer(tokens.full) });
    expect(res.status).toBe(200);
    const items = (res.json as { items: { id: string; email: string; role: string; status: string; passkeys: number }[] }).items;
    expect(items.find((m) => m.id === ticketBinding.memberId)).toMatchObject({ role: "technician", status: "active", email: expect.stringContaining("@"), passkeys: expect.any(Number) });
    expect(JSON.stringify(items)).not.toContain(b.owner.email);
    const named = await call(op, { auth: bearer(tokens.full), query: { q: items[0]!.email } });
    expect((named.json as { items: { id: string }[] }).items.map((m) => m.id)).toEqual([items[0]!.id]);
    expect((await call(op, { auth: bearer(tokens.without["members:read"]) })).status).toBe(403);
    expect((await call(op, { auth: bearer(tokens.tech) })).status).toBe(403);
  });

  it("a token revokes itself (the extension's Disconnect), audited as its owner's act; a session cannot", async () => {
    const own = await newToken(a.owner, { scopes: ["grants:read"] });
    const op = operationList.find((o) => o.id === "revokeCurrentToken")!;
    expect((await call(op, { auth: bearer(own.token) })).status).toBe(204);
    expect((await call(me(), { auth: bearer(own.token) })).status).toBe(401);
    expect((await call(op, { cookie: a.owner.session.token, origin: appOrigin })).status).toBe(403);
    expect(await lastAudit("token.revoked", own.id)).toMatchObject({ actorId: a.owner.id, metadata: expect.objectContaining({ reason: "owner", self: true }) });
  });

  it("tells a token who it is, with its scopes", async () => {
    const res = await call(me(), { auth: bearer(tokens.full) });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ authenticatedBy: "token", mspId: a.mspId, member: { id: a.owner.id } });
  });

  it("a refused request (409, live grant) is not stored under its Idempotency-Key; evaluate says why", async () => {
    const op = requestGrantOp();
    const key = `k-${Date.now()}`;
    const first = await call(op, { auth: bearer(tokens.tech), headers: { "idempotency-key": key } });
    expect(first.status, first.text).toBe(409); // a live grant exists: errors are not stored, the key is released
    const evalOp = operationList.find((o) => o.id === "evaluatePolicy")!;
    expect((await call(evalOp, { auth: bearer(tokens.tech) })).json).toMatchObject({ allowed: false, reasons: [{ code: "live_grant_exists" }] });
  });

  it("a token cannot create tokens; a console session can after a step-up made for it; a replay never returns the secret", async () => {
    const op = operationList.find((o) => o.id === "createToken")!;
    expect((await call(op, { auth: bearer(tokens.full) })).status).toBe(403);
    const key = `create-${Date.now()}`;
    // The seeded session's sign-in is a fresh assertion, but not one made for creating a token.
    const signedIn = await call(op, { cookie: a.owner.session.token, origin: appOrigin, headers: { "idempotency-key": key } });
    expect(signedIn.status).toBe(403);
    expect(signedIn.json?.error?.code).toBe("step_up_required");
    await steppedUpContext(a.owner);
    const first = await call(op, { cookie: a.owner.session.token, origin: appOrigin, headers: { "idempotency-key": key } });
    expect(first.status, first.text).toBe(201);
    const created = first.json as { id: string; token: string };
    const again = await call(op, { cookie: a.owner.session.token, origin: appOrigin, headers: { "idempotency-key": key } });
    expect(again.status).toBe(409);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.json).toMatchObject({ error: { code: "conflict", details: { tokenId: created.id } } });
    expect(again.text).not.toContain(created.token);
    // What Redis keeps for the replay holds the token's id, never the token.
    const redisKey = `${env.QUEUE_PREFIX}:idem:v1:${a.mspId}:member:${a.owner.id}:${createHash("sha256").update(key).digest("hex")}`;
    const stored = JSON.parse((await getRedis().get(redisKey))!) as { status: number; sealed: string };
    const kept = decryptSecret(keyRing(), stored.sealed, `idempotency:${redisKey}`);
    expect(stored.status).toBe(409);
    expect(kept).toContain(created.id);
    expect(kept).not.toContain(created.token);
    expect(kept).not.toContain(created.token.slice(4, 36));
    const other = await call(op, { cookie: a.owner.session.token, origin: appOrigin, headers: { "idempotency-key": key }, body: { name: "Another", scopes: ["grants:read"], expiresInDays: 7 } });
    expect(other.status).toBe(422);
    expect(other.json?.error?.field).toBe("Idempotency-Key");
  });

  it("reveal: a session goes through the step-up path, a token only reads its owner's grant", async () => {
    const op = operationList.find((o) => o.id === "revealCredential")!;
    await steppedUpContext(a.owner);
    const session = await call(op, { cookie: a.owner.session.token, origin: appOrigin });
    expect(session.status).toBe(404); // the console path: not the owner's grant
    const own = await call(op, { auth: bearer(tokens.tech) });
    expect(own.status).toBe(409); // the fixture grant is not active (no worker here): no credential, never 5xx
    const admin = await call(op, { auth: bearer(tokens.full) });
    expect(admin.status).toBe(404); // the owner's admin token does not read another member's credential
  });

  it("evaluates a subject token (admins only, audited): username + token, another MSP's token is simply invalid", async () => {
    const op = operationList.find((o) => o.id === "evaluatePolicy")!;
    const techMe = await call(me(), { auth: bearer(tokens.tech) });
    const email = (techMe.json as { member: { email: string } }).member.email;
    const techTokenId = (techMe.json as { token: { id: string } }).token.id;
    const body = { subject: { username: email, token: tokens.tech }, action: "customers:read", resource: { customerId: ids.customerId } };
    // A technician may evaluate themselves, not someone's token; an owner's token needs the tokens:manage scope.
    expect((await call(op, { auth: bearer(tokens.tech), body: { action: "customers:read" } })).status).toBe(200);
    const byTechnician = await call(op, { auth: bearer(tokens.tech), body });
    expect(byTechnician.status).toBe(403);
    expect(byTechnician.json?.error?.code).toBe("forbidden");
    expect((await call(op, { auth: bearer(tokens.without["tokens:manage"]), body })).status).toBe(403);
    const ok = await call(op, { auth: bearer(tokens.full), body });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ allowed: true, effectivePermissions: { accessLevels: [{ accessLevelId: ids.accessLevelId }] } });
    expect(await lastAudit("policy.subject_evaluated", techTokenId)).toMatchObject({
      actorId: a.owner.id,
      targetType: "token",
      metadata: { subjectValid: true, action: "customers:read", allowed: true, reasons: [] },
    });
    const foreign = await call(op, { auth: bearer(tokens.full), body: { subject: { username: b.owner.email, token: tokens.foreign }, action: "grants:read" } });
    expect(foreign.json).toMatchObject({ allowed: false, reasons: [{ code: "subject_invalid" }] });
    const restricted = await call(op, { auth: bearer(tokens.restricted), body: { action: "grants:write", resource: { customerId: ids.customerId } } });
    expect(restricted.json).toMatchObject({ allowed: false, reasons: [{ code: "customer_not_visible" }] });
  });
});
