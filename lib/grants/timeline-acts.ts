import { formatMinutes } from "@/lib/format";

/** An audit event of one grant, as the timeline reads it. */
export type GrantAuditEvent = {
  id: string;
  action: string;
  occurredAt: Date;
  actorType: "member" | "token" | "system" | "anonymous";
  actorLabel: string | null;
  reason: string | null;
  metadata: Record<string, unknown>;
};

/** A person's act on the grant, placed on its timeline among the steps Stint took. */
export type GrantAct = { id: string; at: Date; label: string; detail: string | null };

const minutes = (value: unknown) => (typeof value === "number" ? formatMinutes(value) : null);

/**
 * What a person did to the grant, from its audit events: who revealed its credential, extended it, approved
 * or denied it, ended it early. Revokes and the kill switch are left out: each is a step of the timeline
 * already (with who and why), written in the same transaction. Stint's own work is the steps.
 */
export function grantActs(events: GrantAuditEvent[]): GrantAct[] {
  const acts: GrantAct[] = [];
  for (const e of events) {
    if (e.actorType !== "member" && e.actorType !== "token") continue;
    const who = e.actorLabel ?? "someone";
    const act = (label: string, detail: string | null = null) => acts.push({ id: e.id, at: e.occurredAt, label, detail });
    const m = e.metadata;
    switch (e.action) {
      case "grant.credential_revealed":
        act(`Credential revealed to ${who}`, m.path === "api_token" ? "Through an access token" : null);
        break;
      case "grant.launch_ticket_issued":
        act(`Signed in by ${who} from the browser extension`);
        break;
      case "grant.extended":
        act(`Extended by ${minutes(m.minutes) ?? "some time"} by ${who}`, typeof m.endsAt === "string" ? `Now ends ${m.endsAt.slice(0, 16).replace("T", " ")} UTC` : null);
        break;
      case "grant.approval_recorded":
        act(`Approved by ${who}`, "Waiting for a second approver");
        break;
      case "grant.approved":
        if (m.decision !== "approval") break;
        act(`Approved by ${who}`, m.durationMinutes !== m.requestedMinutes && minutes(m.durationMinutes) ? `Shortened to ${minutes(m.durationMinutes)}` : null);
        break;
      case "grant.denied":
        act(`Denied by ${who}`, e.reason);
        break;
      case "grant.cancelled":
        act(`Request cancelled by ${who}`, e.reason);
        break;
      case "grant.emergency_reviewed":
        act(`Emergency access reviewed by ${who}`, e.reason);
        break;
      case "grant.revocation_retry_requested":
        act(`Retry of the revocation asked for by ${who}`);
        break;
      // A member ending it without a reason is the technician giving it back; with one, it is a revoke (a step).
      case "grant.expiring":
      case "grant.end_requested":
      case "grant.revoked":
        if (!e.reason) act(`Ended early by ${who}`);
        break;
    }
  }
  return acts;
}
