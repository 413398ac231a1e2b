import type { InputArg, OutputOf } from "@/lib/api/call-types";
import { operationUrl } from "@/lib/api/operation";
import type { PublicOperationId } from "@/lib/api/operations";

/**
 * The background's client for Stint's /api/v1, typed by the server's operation registry: a caller names
 * an operation and gets its input and output types. Every answer that is not 2xx becomes a StintApiError with
 * Stint's own `{ error: { code, message } }`, and a network failure becomes code "unreachable", so the
 * popup can say what happened in words.
 */
export class StintApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Any failure as a StintApiError, so callers answer the popup in one shape. */
export function asApiError(error: unknown): StintApiError {
  return error instanceof StintApiError ? error : new StintApiError(0, "failed", error instanceof Error ? error.message : String(error));
}

/**
 * Method and path of each public operation, put in by the build from the same registry (the
 * registry's schemas stay out of the extension).
 */
declare const STINT_ROUTES: Record<PublicOperationId, { method: string; path: string }>;

type Server = { serverUrl: string; token?: string };

const TIMEOUT_MS = 15_000;

export async function callStint<Id extends PublicOperationId>({ serverUrl, token }: Server, id: Id, ...[input]: InputArg<Id>): Promise<OutputOf<Id>> {
  const { method, path } = STINT_ROUTES[id];
  const { params, query, body } = (input ?? {}) as { params?: Record<string, string>; query?: Record<string, unknown>; body?: unknown };
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(new URL(operationUrl({ path }, params, query), serverUrl), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
      cache: "no-store",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new StintApiError(0, "unreachable", `Stint at ${new URL(serverUrl).host} cannot be reached. Check the address and your connection.`);
  }
  const text = await response.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: a proxy's error page, say. Reported below by status.
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new StintApiError(response.status, error?.code ?? `http_${response.status}`, error?.message ?? `Stint answered ${response.status}.`);
  }
  return json as OutputOf<Id>;
}
