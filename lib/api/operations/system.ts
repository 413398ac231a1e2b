import { op } from "@/lib/api/operation";
import { healthOutput, openApiDocumentOutput } from "@/lib/api/schemas/system";

export const systemOperations = {
  getHealth: op({
    id: "getHealth",
    method: "GET",
    path: "/api/health",
    tag: "System",
    summary: "Liveness of the database and Redis",
    description: "200 when both answer, 503 with the same body when either does not.",
    auth: "public",
    // Generous, so monitors and load balancers are never throttled.
    rateLimit: null,
    output: healthOutput,
    status: 200,
    raw: true,
  }),
  getOpenApiDocument: op({
    id: "getOpenApiDocument",
    method: "GET",
    path: "/api/v1/openapi.json",
    tag: "System",
    summary: "The OpenAPI 3.1 document of /api/v1",
    description: "Public, like any API description: it contains no data. Cacheable for 5 minutes.",
    auth: "public",
    output: openApiDocumentOutput,
    status: 200,
    raw: true,
  }),
};
