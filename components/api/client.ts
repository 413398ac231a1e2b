"use client";

import { operationUrl } from "@/lib/api/operation";
import type { InputArg, InputOf, OutputOf } from "@/lib/api/call-types";
import { operationRoutes } from "@/lib/api/operation-routes";
import type { OperationId } from "@/lib/api/operations";

export type { InputOf, OutputOf };

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * Calls one operation of the registry by its id, with its declared inputs; answers its declared output
 * or throws ApiError with the envelope's code, message and field.
 */
export async function api<Id extends OperationId>(id: Id, ...[input]: InputArg<Id>): Promise<OutputOf<Id>> {
  const op = operationRoutes[id];
  const { params, query, body } = (input ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
  const res = await fetch(operationUrl(op, params, query), {
    method: op.method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
  });
  if (res.status === 204) return undefined as OutputOf<Id>;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const err = data?.error;
    throw new ApiError(err?.code ?? "internal", err?.message ?? `Request failed (${res.status}).`, err?.field, err?.details);
  }
  return data as OutputOf<Id>;
}
