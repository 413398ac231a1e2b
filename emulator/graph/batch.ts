import type { Reply } from "../http/reply";
import { GraphError } from "./errors";

export interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  dependsOn: string[];
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

const maxRequests = 20;
const writeMethods = new Set(["POST", "PATCH", "PUT"]);
// Batch responses spell these the way HTTP/1.1 responses do; other headers stay lower-case.
const canonicalHeaderNames: Record<string, string> = {
  "content-type": "Content-Type",
  "retry-after": "Retry-After",
  location: "Location",
  "cache-control": "Cache-Control",
};

function invalidBatch(message: string): GraphError {
  return new GraphError(400, "BadRequest", message);
}

/** Validates a JSON batch payload as Graph does: at most 20 requests, unique ids, known dependencies. */
export function parseBatch(body: unknown): BatchItem[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw invalidBatch("Invalid batch payload format.");
  if (requests.length > maxRequests) throw invalidBatch(`Number of requests in a batch cannot exceed ${maxRequests}.`);
  const items: BatchItem[] = requests.map((raw: unknown) => {
    const r = (raw ?? {}) as Record<string, unknown>;
    if (typeof r.id !== "string" || typeof r.method !== "string" || typeof r.url !== "string") {
      throw invalidBatch("Invalid batch payload format.");
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries((r.headers ?? {}) as Record<string, unknown>)) headers[name.toLowerCase()] = String(value);
    const dependsOn = Array.isArray(r.dependsOn) ? r.dependsOn.map(String) : [];
    return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body: r.body, dependsOn };
  });
  const ids = new Set(items.map((i) => i.id));
  if (ids.size !== items.length) throw invalidBatch("Batch request contains duplicate request ids.");
  for (const item of items) {
    if (item.dependsOn.some((d) => !ids.has(d) || d === item.id)) throw invalidBatch(`Request id ${item.id} depends on an unknown request.`);
  }
  return items;
}

/**
 * Runs the items in array order, deferring an item until the items it depends on have run; a failed dependency
 * turns into 424 for its dependents, as in Graph's JSON batching.
 */
export async function runBatch(
  items: BatchItem[],
  execute: (item: BatchItem) => Promise<Reply>,
): Promise<BatchItemResponse[]> {
  const statuses = new Map<string, number>();
  const responses = new Map<string, BatchItemResponse>();
  let pending = items;
  while (pending.length > 0) {
    const ready = pending.filter((i) => i.dependsOn.every((d) => statuses.has(d)));
    if (ready.length === 0) throw invalidBatch("Batch request contains a dependency cycle.");
    for (const item of ready) {
      const response = await runItem(item, statuses, execute);
      statuses.set(item.id, response.status);
      responses.set(item.id, response);
    }
    pending = pending.filter((i) => !statuses.has(i.id));
  }
  return items.map((i) => responses.get(i.id) as BatchItemResponse);
}

async function runItem(
  item: BatchItem,
  statuses: Map<string, number>,
  execute: (item: BatchItem) => Promise<Reply>,
): Promise<BatchItemResponse> {
  const jsonHeaders = { "Content-Type": "application/json" };
  if (item.dependsOn.some((d) => (statuses.get(d) ?? 0) >= 400)) {
    return {
      id: item.id,
      status: 424,
      headers: jsonHeaders,
      body: { error: { code: "FailedDependency", message: "The request failed because a request it depends on failed." } },
    };
  }
  if (writeMethods.has(item.method) && item.body !== undefined && !item.headers["content-type"]) {
    return {
      id: item.id,
      status: 400,
      headers: jsonHeaders,
      body: { error: { code: "BadRequest", message: `Write request id : ${item.id} does not contain Content-Type header or body.` } },
    };
  }
  const reply = await execute(item);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.headers ?? {})) headers[canonicalHeaderNames[name] ?? name] = value;
  return { id: item.id, status: reply.status, headers, ...(reply.json !== undefined ? { body: reply.json } : {}) };
}
