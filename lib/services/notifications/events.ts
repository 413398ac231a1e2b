import type { AuditInput } from "@/lib/services/audit/record";
import type { NotificationEvent } from "@/lib/vocabulary/notification-events";

/** Who an event is addressed to, besides the endpoints subscribed to it. */
export type Audience = "requester" | "approvers" | "admins";

/** Where a message links to, when not the page of its grant or customer. */
type Rule = { event: NotificationEvent; audience: Audience; when?: (input: AuditInput) => boolean; path?: (targetId: string) => string };

/** The approval queue, opened at the request: approving happens there, behind the approver's passkey. */
const approvalQueue = (grantId: string) => `/approvals#grant-${grantId}`;

const ids = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/**
 * The one table of which audit actions notify: the outbox row is written by recordAudit in the change's own
 * transaction. `grant.approved` is also recorded when a request needs no approval; only a person's approval
 * (approvedBy) is news to the requester.
 */
const rules: Record<string, Rule> = {
  "grant.approval_requested": { event: "grant.approval_requested", audience: "approvers", path: approvalQueue },
  "grant.emergency_requested": { event: "grant.emergency_requested", audience: "approvers", path: approvalQueue },
  "grant.approved": { event: "grant.approved", audience: "requester", when: (i) => ids(i.metadata?.approvedBy).length > 0 || typeof i.metadata?.approvedBy === "string" },
  "grant.denied": { event: "grant.denied", audience: "requester" },
  "grant.approval_expired": { event: "grant.approval_expired", audience: "requester" },
  "grant.cancelled": { event: "grant.cancelled", audience: "requester" },
  "grant.active": { event: "grant.active", audience: "requester" },
  "grant.ended": { event: "grant.ended", audience: "requester" },
  // Ended before it began (an approved grant revoked) or while ending: either way the access is over.
  "grant.revoked": { event: "grant.ended", audience: "requester" },
  "grant.failed": { event: "grant.failed", audience: "requester" },
  "grant.irrevocable": { event: "grant.irrevocable", audience: "admins" },
  "grant.kill_switch": { event: "grant.kill_switch", audience: "admins" },
  "connection.unhealthy": { event: "connection.unhealthy", audience: "admins" },
  "notification.endpoint_disabled": { event: "notification.endpoint_disabled", audience: "admins", path: () => "/notifications" },
};

export type MappedEvent = { event: NotificationEvent; memberIds: string[]; toAdmins: boolean; requesterFromGrant: boolean; path?: string };

/** The notification an audit action raises, if any, and whom it addresses. */
export function eventForAudit(input: AuditInput): MappedEvent | null {
  const rule = rules[input.action];
  if (!rule || (rule.when && !rule.when(input))) return null;
  const meta = input.metadata ?? {};
  const path = rule.path && input.target ? rule.path(input.target.id) : undefined;
  switch (rule.audience) {
    case "approvers":
      return { event: rule.event, memberIds: ids(meta.approverIds), toAdmins: false, requesterFromGrant: false, path };
    case "admins":
      return { event: rule.event, memberIds: [], toAdmins: true, requesterFromGrant: false, path };
    case "requester": {
      const requester = typeof meta.requesterId === "string" ? [meta.requesterId] : [];
      return { event: rule.event, memberIds: requester, toAdmins: false, requesterFromGrant: requester.length === 0, path };
    }
  }
}
