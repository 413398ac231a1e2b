import { z } from "zod";
import type { HaloAction, HaloInstance } from "./instance";

const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "not a date");

/** The action fields the emulator reads; anything else Halo accepts is ignored. */
const actionInput = z.object({
  ticket_id: z.number().int().positive(),
  outcome: z.string().trim().min(1),
  note: z.string().default(""),
  hiddenfromuser: z.boolean().default(false),
  timetaken: z.number().min(0).default(0),
  who_agentid: z.number().int().positive().optional(),
  actiondatecreated: isoDate.optional(),
  actionarrivaldate: isoDate.optional(),
  actioncompletiondate: isoDate.optional(),
});

/** Why a `POST /api/Actions` body is refused (400), or the actions it writes. */
export function writeActions(instance: HaloInstance, body: unknown): { error: string } | { written: HaloAction[] } {
  if (!Array.isArray(body) || body.length === 0) return { error: "The request body must be an array of actions." };
  const parsed = [];
  for (const item of body) {
    const result = actionInput.safeParse(item);
    if (!result.success) return { error: `Invalid action: ${result.error.issues.map((i) => `${i.path.join(".") || "body"} ${i.message}`).join("; ")}` };
    const action = result.data;
    if (!instance.tickets.has(action.ticket_id)) return { error: `Ticket ${action.ticket_id} does not exist.` };
    if (action.who_agentid !== undefined && !instance.agents.has(action.who_agentid)) return { error: `Agent ${action.who_agentid} does not exist.` };
    parsed.push(action);
  }
  const written = parsed.map((action): HaloAction => {
    const record: HaloAction = {
      id: instance.actions.length + 1,
      ticket_id: action.ticket_id,
      outcome: action.outcome,
      note: action.note,
      hiddenfromuser: action.hiddenfromuser,
      timetaken: action.timetaken,
      who_agentid: action.who_agentid ?? null,
      who: action.who_agentid === undefined ? "API application" : (instance.agents.get(action.who_agentid)?.name ?? ""),
      actiondatecreated: action.actiondatecreated ?? new Date().toISOString(),
      actionarrivaldate: action.actionarrivaldate ?? null,
      actioncompletiondate: action.actioncompletiondate ?? null,
    };
    instance.actions.push(record);
    return record;
  });
  return { written };
}
