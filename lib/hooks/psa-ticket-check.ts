import { formatMinutes } from "@/lib/format";
import { PsaError, type PsaClient, type PsaCompany } from "@/lib/psa/types";
import type { PsaTicketOptions } from "@/lib/vocabulary/hooks";
import { psaKindLabels } from "@/lib/vocabulary/psa-kinds";
import type { HookAnswer, HookCall } from "./protocol";
import type { HookResult, HookTransport } from "./transport";


/** The ticket a call is about: the request's reference, the technician's answer, or what authenticate kept. */
function ticketOf(call: HookCall): string | null {
  const kept = call.cookie.ticketId;
  return call.grant.ticket ?? call.key_value_pairs.ticket ?? (typeof kept === "string" ? kept : null);
}

const deny = (message: string): HookAnswer => ({ verdict: "DENY", message });

/**
 * The built-in PSA check, a hook like any webhook: at request the ticket must exist, be open, belong to the
 * customer's mapped company and, if the policy says so, be assigned to the technician (asked for when the
 * request has none); before the account is made it is checked again and gets a note; when access has ended it
 * gets a note with the real exposure and the proof of removal, and a time entry if wanted. Every refusal names
 * the check that failed. A dry run reads and never writes.
 */
export function psaTicketCheck(client: PsaClient, company: PsaCompany | null, options: PsaTicketOptions): HookTransport {
  const psa = psaKindLabels[client.kind];

  async function checkTicket(call: HookCall): Promise<HookAnswer> {
    const ref = ticketOf(call);
    if (!ref) {
      return { verdict: "NEEDINFO", message: `${call.grant.customer.name} needs a ${psa} ticket.`, questions: [{ key: "ticket", prompt: `${psa} ticket number for this work`, hidden: false }] };
    }
    if (!company) return deny(`${call.grant.customer.name} is not mapped to a ${psa} company yet: an admin must confirm the mapping.`);
    const ticket = await client.getTicket(ref);
    if (!ticket) return deny(`${psa} has no ticket ${ref}.`);
    if (ticket.closed) return deny(`${psa} ticket ${ticket.id} is ${ticket.status}: access needs an open ticket.`);
    if (ticket.company.id !== company.id) return deny(`${psa} ticket ${ticket.id} belongs to ${ticket.company.name}, not to ${company.name}.`);
    if (options.requireAssignee && ticket.assigneeEmail?.toLowerCase() !== call.grant.technician.email.toLowerCase()) {
      return deny(`${psa} ticket ${ticket.id} is assigned to ${ticket.assigneeEmail ?? "nobody"}, not to ${call.grant.technician.email}.`);
    }
    return { verdict: "ACCEPT", additional_metadata: `${psa} ticket ${ticket.id}: ${ticket.summary}`, cookie: { ticketId: ticket.id } };
  }

  async function authorize(call: HookCall): Promise<HookAnswer> {
    const checked = await checkTicket(call);
    // Nobody is there to answer a question any more.
    if (checked.verdict === "NEEDINFO") return deny(`The grant has no ${psa} ticket.`);
    if (checked.verdict !== "ACCEPT" || call.dry_run || !options.notes) return checked;
    const g = call.grant;
    await client.addNote(
      String(checked.cookie!.ticketId),
      [
        `Stint: admin access granted to ${g.technician.name} (${g.technician.email}) on ${g.customer.name} for ${formatMinutes(g.duration_minutes)}.`,
        `Access levels: ${g.access_levels.join(", ")}. Account: ${g.upn ?? "(none)"}.`,
        `Why: ${g.justification}`,
        g.link ? `Grant: ${g.link}` : "",
      ].filter(Boolean).join("\n"),
    );
    return checked;
  }

  async function sessionEnded(call: HookCall): Promise<HookAnswer> {
    const ref = ticketOf(call);
    const s = call.session;
    if (!ref || !s || call.dry_run) return { verdict: "ACCEPT" };
    if (options.notes) {
      const exposure = s.exposure_minutes === null ? "no account was usable" : `usable ${formatMinutes(s.exposure_minutes)} (${s.usable_from} to ${s.usable_to})`;
      const proof = s.proof.map((p) => `- ${p.step}: ${p.status}${p.detail ? ` (${p.detail})` : ""}`);
      await client.addNote(
        ref,
        [`Stint: admin access of ${call.grant.technician.name} on ${call.grant.customer.name} is over (${s.final_state}); ${exposure}.`, ...(proof.length ? ["Proof of removal, read back from Microsoft Graph:", ...proof] : []), call.grant.link ? `Grant: ${call.grant.link}` : ""]
          .filter(Boolean)
          .join("\n"),
      );
    }
    if (options.timeEntry && s.exposure_minutes && s.usable_from) {
      await client.addTimeEntry({
        ticketId: ref,
        start: new Date(s.usable_from),
        minutes: s.exposure_minutes,
        notes: `Admin access on ${call.grant.customer.name} through Stint (${call.grant.access_levels.join(", ")}).`,
        technicianEmail: call.grant.technician.email,
      });
    }
    return { verdict: "ACCEPT" };
  }

  return {
    async call(call): Promise<HookResult> {
      try {
        const answer = call.type === "authenticate" ? await checkTicket(call) : call.type === "authorize" ? await authorize(call) : await sessionEnded(call);
        return { ok: true, answer };
      } catch (err) {
        if (err instanceof PsaError) return { ok: false, error: `${psa}: ${err.message}`, retryAfterMs: err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : null };
        throw err;
      }
    },
  };
}
