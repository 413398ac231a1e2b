import type { Call } from "../../http/call";
import { emptyReply, jsonReply, type Reply } from "../../http/reply";
import { Router } from "../../http/router";
import { takeRateLimit } from "../store";
import { writeActions } from "./actions";
import { issueToken, refuseBearer } from "./auth";
import type { HaloInstance } from "./instance";
import { agentView, clientView, statusView, ticketView } from "./views";

type HaloHandler = (instance: HaloInstance, call: Call, params: Record<string, string>) => Reply;

/** Halo answers a missing record and a refused write with a plain-text message. */
function textReply(status: number, text: string): Reply {
  return { status, text, headers: { "content-type": "text/plain; charset=utf-8" } };
}

/** A path id; Halo's integer route segments do not match anything else, so those paths are unknown (404). */
function recordId(params: Record<string, string>): number | null {
  const raw = params.id ?? "";
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

function flag(query: URLSearchParams, name: string): boolean {
  return query.get(name)?.toLowerCase() === "true";
}

function positive(query: URLSearchParams, name: string, fallback: number): number {
  const value = Number(query.get(name));
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Paging as Halo's list endpoints do it: `pageinate=true` with `page_size` and 1-based `page_no`, else `count`. */
const defaultPageSize = 50;

function listClients(instance: HaloInstance, call: Call): Reply {
  const query = call.url.searchParams;
  const search = query.get("search")?.toLowerCase() ?? "";
  const matches = [...instance.clients.values()]
    .filter((c) => (flag(query, "includeinactive") || !c.inactive) && c.name.toLowerCase().includes(search))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (flag(query, "pageinate")) {
    const pageSize = positive(query, "page_size", defaultPageSize);
    const pageNo = positive(query, "page_no", 1);
    const page = matches.slice((pageNo - 1) * pageSize, pageNo * pageSize);
    return jsonReply(200, { page_no: pageNo, page_size: pageSize, record_count: matches.length, clients: page.map(clientView) });
  }
  const count = positive(query, "count", matches.length);
  return jsonReply(200, { record_count: matches.length, clients: matches.slice(0, count).map(clientView) });
}

function listAgents(instance: HaloInstance, call: Call): Reply {
  const search = call.url.searchParams.get("search")?.toLowerCase() ?? "";
  const matches = [...instance.agents.values()].filter((a) => a.name.toLowerCase().includes(search) || a.email.toLowerCase().includes(search));
  return jsonReply(200, matches.map(agentView));
}

function postActions(instance: HaloInstance, call: Call): Reply {
  let body: unknown;
  try {
    body = JSON.parse(call.body.toString("utf8"));
  } catch {
    return textReply(400, "The request body is not valid JSON.");
  }
  const result = writeActions(instance, body);
  if ("error" in result) return textReply(400, result.error);
  return jsonReply(201, result.written.length === 1 ? result.written[0] : result.written);
}

const api = new Router<HaloHandler>()
  .on("GET", "/api/Tickets/:id", (instance, _call, params) => {
    const ticket = instance.tickets.get(recordId(params) ?? -1);
    return ticket ? jsonReply(200, ticketView(instance, ticket)) : textReply(404, `Ticket ${params.id} not found.`);
  })
  .on("GET", "/api/Status", (instance) => jsonReply(200, [...instance.statuses.values()].map(statusView)))
  .on("GET", "/api/Status/:id", (instance, _call, params) => {
    const statuses = [...instance.statuses.values()];
    const index = statuses.findIndex((s) => s.id === recordId(params));
    return index >= 0 ? jsonReply(200, statusView(statuses[index]!, index)) : textReply(404, `Status ${params.id} not found.`);
  })
  .on("GET", "/api/Client", listClients)
  .on("GET", "/api/Client/:id", (instance, _call, params) => {
    const client = instance.clients.get(recordId(params) ?? -1);
    return client ? jsonReply(200, clientView(client)) : textReply(404, `Client ${params.id} not found.`);
  })
  .on("GET", "/api/Agent", listAgents)
  .on("GET", "/api/Agent/:id", (instance, _call, params) => {
    const agent = instance.agents.get(recordId(params) ?? -1);
    return agent ? jsonReply(200, agentView(agent)) : textReply(404, `Agent ${params.id} not found.`);
  })
  .on("POST", "/api/Actions", postActions);

/**
 * One call to an instance at `/halo/{instance}{path}`: the token endpoint, then the API behind a bearer token. A
 * rate-limited instance refuses any call first (429, Retry-After), as Halo's gateway does before authentication.
 */
export function handleHalo(instance: HaloInstance | undefined, call: Call, path: string): Reply {
  if (!instance) return emptyReply(404);
  const retryAfter = takeRateLimit(instance.rateLimit);
  if (retryAfter !== null) return { ...textReply(429, "Too many requests."), headers: { "content-type": "text/plain; charset=utf-8", "retry-after": String(retryAfter) } };
  if (path.toLowerCase() === "/auth/token") return call.method === "POST" ? issueToken(instance, call) : emptyReply(405, { allow: "POST" });
  const match = api.match(call.method, path);
  if (match.kind === "not-found") return emptyReply(404);
  const refused = refuseBearer(instance, call);
  if (refused) return refused;
  if (match.kind === "method-not-allowed") return emptyReply(405, { allow: match.allowed.join(", ") });
  return match.handler(instance, call, match.params);
}
