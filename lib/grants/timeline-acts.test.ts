import { describe, expect, it } from "vitest";
import { grantActs, type GrantAuditEvent } from "./timeline-acts";

let n = 0;
const at = new Date("2026-12-05T10:00:00Z");
const event = (action: string, fields: Partial<GrantAuditEvent> = {}): GrantAuditEvent => ({
  id: `aud_${++n}`,
  action,
  occurredAt: at,
  actorType: "member",
  actorLabel: "Ada Admin",
  reason: null,
  metadata: {},
  ...fields,
});

describe("grantActs", () => {
  it("names who revealed, extended, approved, denied and ended the grant, with what matters of each", () => {
    const acts = grantActs([
      event("grant.approval_recorded"),
      event("grant.approved", { actorLabel: "Bo Owner", metadata: { decision: "approval", durationMinutes: 60, requestedMinutes: 120 } }),
      event("grant.credential_revealed", { actorLabel: "Tina Technician" }),
      event("grant.credential_revealed", { actorType: "token", actorLabel: "Tina Technician", metadata: { path: "api_token" } }),
      event("grant.extended", { actorLabel: "Tina Technician", metadata: { minutes: 90, endsAt: "2026-12-05T13:30:00.000Z" } }),
      event("grant.expiring", { actorLabel: "Tina Technician" }),
    ]);
    expect(acts.map((a) => [a.label, a.detail])).toEqual([
      ["Approved by Ada Admin", "Waiting for a second approver"],
      ["Approved by Bo Owner", "Shortened to 1 h"],
      ["Credential revealed to Tina Technician", null],
      ["Credential revealed to Tina Technician", "Through an access token"],
      ["Extended by 90 min by Tina Technician", "Now ends 2026-12-05 13:30 UTC"],
      ["Ended early by Tina Technician", null],
    ]);
    expect(acts[0]).toMatchObject({ at, id: expect.stringMatching(/^aud_/) });
  });

  it("a denial carries its reason", () => {
    expect(grantActs([event("grant.denied", { reason: "Not during the audit" })])).toEqual([expect.objectContaining({ label: "Denied by Ada Admin", detail: "Not during the audit" })]);
  });

  it("leaves out Stint's own work, approvals no one gave, and ends with a reason (a revoke or the kill switch, steps already)", () => {
    expect(
      grantActs([
        event("grant.expiring", { actorType: "system", actorLabel: "grant.expire" }),
        event("grant.revoked", { actorType: "system" }),
        event("grant.approved", { metadata: { decision: "auto" } }),
        event("grant.expiring", { reason: "Ticket closed; revoking" }),
        event("grant.revoked", { reason: "Kill switch: phishing wave" }),
        event("grant.evidence_exported"),
      ]),
    ).toEqual([]);
  });
});
