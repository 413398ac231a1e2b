import { z } from "zod";

/** Liveness of the stores Stint cannot work without; answered with 503 when ok is false. */
export const healthOutput = z.object({ ok: z.boolean(), database: z.boolean(), redis: z.boolean() });

/** The OpenAPI 3.1 document of /api/v1. */
export const openApiDocumentOutput = z.object({ openapi: z.string(), info: z.object({ title: z.string(), version: z.string() }).loose(), paths: z.record(z.string(), z.unknown()) }).loose();
