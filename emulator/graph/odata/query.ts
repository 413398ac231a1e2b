import type { GraphRequest } from "../context";
import { GraphError, badRequest } from "../errors";
import { checkFilter, evaluateFilter, parseFilter, propertyValue, type FilterCapabilities } from "./filter";

/** `ConsistencyLevel: eventual` together with `$count=true` unlocks advanced queries on directory objects. */
export function isAdvancedQuery(req: GraphRequest): boolean {
  return req.headers.consistencylevel?.toLowerCase() === "eventual" && req.query.get("$count") === "true";
}

/** The `$select` list, or undefined. Unknown names are rejected as the OData layer does. */
export function parseSelect(
  req: GraphRequest,
  typeName: string,
  isKnown: (property: string) => boolean,
): string[] | undefined {
  const raw = req.query.get("$select");
  if (raw === null) return undefined;
  const names = raw.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  for (const name of names) {
    if (!isKnown(name)) throw new GraphError(400, "BadRequest", `Could not find a property named '${name}' on type '${typeName}'.`);
  }
  return names;
}

export function project(entity: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const key = Object.keys(entity).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
    out[key] = entity[key] ?? null;
  }
  return out;
}

export function applyFilter<T>(
  req: GraphRequest,
  items: T[],
  capabilities: FilterCapabilities,
  view: (item: T) => Record<string, unknown>,
): T[] {
  const raw = req.query.get("$filter");
  if (raw === null || raw.trim() === "") return items;
  const expression = parseFilter(raw);
  checkFilter(expression, capabilities, isAdvancedQuery(req));
  return items.filter((item) => evaluateFilter(expression, view(item)));
}

export function applyOrderBy<T>(req: GraphRequest, items: T[], sortable: ReadonlySet<string>, view: (item: T) => Record<string, unknown>): T[] {
  const raw = req.query.get("$orderby");
  if (raw === null) return items;
  const [property = "", direction = "asc"] = raw.trim().split(/\s+/);
  if (!sortable.has(property) || !["asc", "desc"].includes(direction.toLowerCase())) {
    throw new GraphError(400, "Request_UnsupportedQuery", `Sorting on property '${property}' is not supported.`);
  }
  const sign = direction.toLowerCase() === "desc" ? -1 : 1;
  return [...items].sort((a, b) => {
    const x = String(propertyValue(view(a), property) ?? "").toLowerCase();
    const y = String(propertyValue(view(b), property) ?? "").toLowerCase();
    return x < y ? -sign : x > y ? sign : 0;
  });
}

/** Rejects `$count=true` without the header it needs, as the directory does. */
export function wantsCount(req: GraphRequest): boolean {
  if (req.query.get("$count") !== "true") return false;
  if (req.headers.consistencylevel?.toLowerCase() !== "eventual") throw badRequest("$count is not currently supported.");
  return true;
}

export interface Page<T> {
  items: T[];
  nextLink?: string;
}

/**
 * `$top` and server-driven paging. The next link carries the emulator's own host (the Graph client follows absolute
 * next links as they are) and an opaque `$skiptoken`.
 */
export function paginate<T>(req: GraphRequest, items: T[], defaultPageSize: number, maxPageSize: number): Page<T> {
  const topRaw = req.query.get("$top");
  let size = defaultPageSize;
  if (topRaw !== null) {
    const top = Number(topRaw);
    if (!Number.isInteger(top) || top < 1 || top > maxPageSize) {
      throw badRequest(`Invalid page size specified: '${topRaw}'. Must be between 1 and ${maxPageSize} inclusive.`);
    }
    size = top;
  }
  const offset = decodeSkipToken(req.query.get("$skiptoken"));
  const pageItems = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { items: pageItems };
  const next = new URLSearchParams(req.query);
  next.set("$skiptoken", encodeSkipToken(offset + size));
  // Real next links spell the system query options with a literal `$`.
  return { items: pageItems, nextLink: `${req.serviceRoot}${req.path}?${next.toString().replace(/%24/g, "$")}` };
}

function encodeSkipToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

function decodeSkipToken(token: string | null): number {
  if (token === null) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown };
    if (typeof parsed.offset === "number" && Number.isInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through to the error below
  }
  throw badRequest("The specified page token value has expired and can no longer be included in your request.");
}
