import type { Call } from "../../http/call";
import { jsonReply, type Reply } from "../../http/reply";
import { Router } from "../../http/router";
import { takeRateLimit } from "../store";
import { refuseCredentials } from "./auth";
import { ConditionsError, parseConditions } from "./conditions";
import { cwError } from "./errors";
import type { ConnectWiseInstance } from "./instance";
import { companyView, memberView, ticketView } from "./views";
import { addNote, addTimeEntry } from "./writes";

type CwHandler = (instance: ConnectWiseInstance, call: Call, params: Record<string, string>) => Reply;

/** The REST API's root under a site: the codebase every cloud and on-premises site answers on. */
export const connectWiseApiRoot = "/v4_6_release/apis/3.0";

const defaultPageSize = 25;
/** ConnectWise's hard limit per page. */
const maxPageSize = 1000;

function notFound(call: Call): Reply {
  return cwError(404, "NotFound", `No resource found for ${call.method} ${call.url.pathname}.`);
}

function pageNumber(query: URLSearchParams, name: string, fallback: number): number {
  const value = Number(query.get(name));
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** The `Link` header of a page: next and last when more follow, first and prev after the first. */
function linkHeader(call: Call, page: number, lastPage: number): string {
  const at = (n: number, rel: string) => {
    const url = new URL(call.url.pathname + call.url.search, call.origin);
    url.searchParams.set("page", String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links = [];
  if (page > 1) links.push(at(1, "first"), at(page - 1, "prev"));
  if (page < lastPage) links.push(at(page + 1, "next"), at(lastPage, "last"));
  return links.join(", ");
}

/** A list endpoint: `conditions`, then `page` (1-based) of `pageSize` (25 by default, at most 1000), ordered by id. */
function list(call: Call, records: Record<string, unknown>[]): Reply {
  const query = call.url.searchParams;
  let matches: Record<string, unknown>[];
  try {
    const predicate = parseConditions(query.get("conditions"));
    matches = records.filter(predicate);
  } catch (error) {
    if (error instanceof ConditionsError) return cwError(400, "InvalidObject", error.message);
    throw error;
  }
  const pageSize = Math.min(pageNumber(query, "pageSize", defaultPageSize), maxPageSize);
  const page = pageNumber(query, "page", 1);
  const lastPage = Math.max(1, Math.ceil(matches.length / pageSize));
  const link = linkHeader(call, page, lastPage);
  return jsonReply(200, matches.slice((page - 1) * pageSize, page * pageSize), link ? { link } : {});
}

function pathId(params: Record<string, string>): number {
  const raw = params.id ?? "";
  return /^\d{1,9}$/.test(raw) ? Number(raw) : -1;
}

function body(call: Call): unknown {
  return call.body.length > 0 ? JSON.parse(call.body.toString("utf8")) : {};
}

const api = new Router<CwHandler>()
  .on("GET", "/service/tickets/:id", (instance, _call, params) => {
    const ticket = instance.tickets.get(pathId(params));
    return ticket ? jsonReply(200, ticketView(instance, ticket)) : cwError(404, "NotFound", `Ticket ${params.id} not found`);
  })
  .on("POST", "/service/tickets/:id/notes", (instance, call, params) => addNote(instance, pathId(params), body(call)))
  .on("GET", "/company/companies", (instance, call) => list(call, [...instance.companies.values()].sort((a, b) => a.id - b.id).map(companyView)))
  .on("GET", "/company/companies/:id", (instance, _call, params) => {
    const company = instance.companies.get(pathId(params));
    return company ? jsonReply(200, companyView(company)) : cwError(404, "NotFound", `Company ${params.id} not found`);
  })
  .on("GET", "/system/members", (instance, call) => list(call, [...instance.members.values()].sort((a, b) => a.id - b.id).map(memberView)))
  .on("POST", "/time/entries", (instance, call) => addTimeEntry(instance, body(call)));

/**
 * One call to an instance at `/connectwise/{instance}{path}`: a rate-limited instance refuses first (429,
 * Retry-After); then the clientId header and the API member's keys; then the REST API under
 * `/v4_6_release/apis/3.0`.
 */
export function handleConnectWise(instance: ConnectWiseInstance | undefined, call: Call, path: string): Reply {
  if (!instance) return notFound(call);
  const retryAfter = takeRateLimit(instance.rateLimit);
  if (retryAfter !== null) return cwError(429, "TooManyRequests", "Too many requests; retry later.", null, { "retry-after": String(retryAfter) });
  if (!path.toLowerCase().startsWith(connectWiseApiRoot)) return notFound(call);
  const refused = refuseCredentials(instance, call);
  if (refused) return refused;
  const match = api.match(call.method, path.slice(connectWiseApiRoot.length));
  if (match.kind === "not-found") return notFound(call);
  if (match.kind === "method-not-allowed") return cwError(405, "MethodNotAllowed", `${call.method} is not allowed on ${call.url.pathname}.`, null, { allow: match.allowed.join(", ") });
  try {
    return match.handler(instance, call, match.params);
  } catch (error) {
    if (error instanceof SyntaxError) return cwError(400, "InvalidObject", "The request body is not valid JSON.");
    throw error;
  }
}
