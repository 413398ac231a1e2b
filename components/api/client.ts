"use client";

import type { z } from "zod";
import type { Operation } from "@/lib/api/operation";
import { operations, type OperationId, type Operations } from "@/lib/api/operations";

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

type Field<Id extends OperationId, K extends string> = K extends keyof Operations[Id] ? Operations[Id][K] : undefined;
type Given<K extends string, S> = [S] extends [z.ZodType] ? { [P in K]: z.input<S> } : { [P in K]?: never };
/** What a call of operation `Id` takes: its params, query and body, each only where it has one. */
export type InputOf<Id extends OperationId> = Given<"params", Field<Id, "params">> & Partial<Given<"query", Field<Id, "query">>> & Given<"body", Field<Id, "body">>;
/** What it answers (after the server's output check). */
export type OutputOf<Id extends OperationId> = Field<Id, "output"> extends z.ZodType ? z.output<Field<Id, "output">> : undefined;

type Optional<T> = {} extends T ? [input?: T] : [input: T];

function urlOf(op: Operation, params: Record<string, string> = {}, query: Record<string, unknown> = {}): string {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ""));
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * Calls one operation of the registry by its id, with its declared inputs; answers its declared output
 * or throws ApiError with the envelope's code, message and field.
 */
export async function api<Id extends OperationId>(id: Id, ...[input]: Optional<InputOf<Id>>): Promise<OutputOf<Id>> {
  const op: Operation = operations[id];
  const { params, query, body } = (input ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
  const res = await fetch(urlOf(op, params, query), {
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
