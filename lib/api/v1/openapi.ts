import { z } from "zod";
import { createDocument } from "zod-openapi";
import { tokenScopeInfo, tokenScopes } from "@/lib/vocabulary/token-scopes";
import { isPublicApi, PUBLIC_API_PREFIX, type Operation } from "@/lib/api/operation";
import { operationList } from "@/lib/api/operations";
import { errorBody } from "./schemas";

type Doc = ReturnType<typeof createDocument>;

const errorResponse = (description: string) => ({ description, content: { "application/json": { schema: errorBody } } });
const fileResponse = (mediaType: string) => ({ description: "The file", content: { [mediaType]: { schema: { type: "string", format: "binary" } } } });

function successResponse(op: Operation) {
  if (op.file) return fileResponse(op.file);
  return op.output ? { description: "Success", content: { "application/json": { schema: op.output } } } : { description: "Done (no content)" };
}

function operationObject(op: Operation) {
  const responses: Record<string, unknown> = {
    [op.status]: successResponse(op),
    "400": errorResponse("Malformed request (bad JSON, not UTF-8, a control character in the path or query, token in the URL)"),
    "422": errorResponse("Invalid input, including text that is not well-formed Unicode or holds control characters; error.field names the field"),
    "429": errorResponse("Rate limited; see Retry-After"),
  };
  if (op.auth !== "public") {
    responses["401"] = errorResponse("No or invalid credentials");
    responses["403"] = errorResponse("Missing scope or role permission");
  }
  if (op.params || op.customerBound) responses["404"] = errorResponse("Not found (or not visible to you)");
  if (op.body) {
    responses["413"] = errorResponse("The body is larger than 64 KiB");
    responses["415"] = errorResponse("The body is not JSON (Content-Type: application/json)");
  }
  for (const [status, description] of Object.entries(op.errors ?? {})) responses[status] = errorResponse(description);
  return {
    operationId: op.id,
    tags: [op.tag],
    summary: op.summary,
    description: op.description,
    security: securityOf(op),
    "x-stint-scope": op.scope,
    "x-stint-permission": op.permission ?? null,
    requestParams: {
      ...(op.params ? { path: op.params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.idempotent ? { header: idempotencyHeader } : {}),
    },
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: op.body } } } } : {}),
    responses,
  };
}

function securityOf(op: Operation) {
  const token = [{ bearer: op.scope ? [op.scope] : [] }, { basic: [] }];
  switch (op.auth) {
    case "public":
      return [];
    case "token":
      return token;
    case "session":
      return [{ session: [] }];
    case "session+token":
      return [...token, { session: [] }];
  }
}

const idempotencyHeader = z.object({
  "Idempotency-Key": z
    .string()
    .max(255)
    .optional()
    .meta({ description: "Retry safely: the same key and body within 24 h returns the first answer; a different body is 422." }),
});

const cached = new Map<Scope, Doc>();

/** What the public document describes: the /api/v1 operations, but not the route that serves the document. */
export function documentedOperations(): Operation[] {
  return operationList.filter((op) => isPublicApi(op) && op.id !== "getOpenApiDocument");
}

/**
 * "public": the OpenAPI 3.1 document of /api/v1, generated from the declarations the routes parse with.
 * The console's own operations are left out: they follow the console and are no contract.
 * "everything": every operation under its full path, the console's marked x-stint-internal; the test
 * suites walk it.
 */
type Scope = "public" | "everything";

export function openApiDocument(scope: Scope = "public"): Doc {
  const known = cached.get(scope);
  if (known) return known;
  const everything = scope === "everything";
  const paths: Record<string, Record<string, unknown>> = {};
  const described = everything ? operationList : documentedOperations();
  for (const op of described) {
    const path = everything ? op.path : op.path.slice(PUBLIC_API_PREFIX.length);
    paths[path] ??= {};
    paths[path]![op.method.toLowerCase()] = { ...operationObject(op), ...(isPublicApi(op) ? {} : { "x-stint-internal": true }) };
  }
  const doc = createDocument({
    openapi: "3.1.0",
    info: {
      title: "Stint API",
      version: "1.0.0",
      description:
        "Just-in-time Entra admin accounts for MSPs. Authenticate with an access token (`Authorization: Bearer stp_…`, or Basic with your email as username) created on your account page, or with the console session. A token's rights are its scopes ∩ its owner's current role and delegations.",
    },
    servers: [{ url: everything ? "/" : PUBLIC_API_PREFIX }],
    tags: [...new Set(described.map((op) => op.tag))].map((name) => ({ name })),
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: `Access token. Scopes: ${tokenScopes.map((sc) => `${sc} (${tokenScopeInfo[sc].label})`).join(", ")}.` },
        basic: { type: "http", scheme: "basic", description: "username = your email address, password = the access token." },
        session: { type: "apiKey", in: "cookie", name: "stint_session", description: "The console session (writes must be same-origin)." },
      },
    },
    paths: paths as never,
  });
  cached.set(scope, doc);
  return doc;
}
