/**
 * The background's client for Stint's /api/v1. Every answer that is not 2xx becomes a StintApiError with
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

type Call = { serverUrl: string; token?: string; method: "GET" | "POST" | "DELETE"; path: string; body?: unknown };

const TIMEOUT_MS = 15_000;

export async function callStint<T>({ serverUrl, token, method, path, body }: Call): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(new URL(`/api/v1${path}`, serverUrl), {
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
  return json as T;
}
