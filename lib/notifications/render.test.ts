import { describe, expect, it } from "vitest";
import { renderEmail } from "./email";
import { messageFor } from "./message";
import type { NotificationPayload } from "@/lib/vocabulary/notification-payload";
import { renderSlack } from "./slack";
import { renderTeams } from "./teams";

const payload: NotificationPayload = {
  type: "grant.approval_requested",
  timestamp: "2026-12-05T09:30:00.000Z",
  data: {
    actor: "Tess Technician",
    reason: null,
    grant: {
      id: "gr_abc",
      state: "pending_approval",
      upn: "jit-abc@contoso.example",
      member: { id: "mem_1", name: "Tess <Technician>", email: "tess@msp.example" },
      customer: { id: "cus_1", name: "Contoso & Co" },
      accessLevels: ["Helpdesk"],
      durationMinutes: 60,
      justification: "Ticket 4711: reset MFA",
      ticketRef: "4711",
      startAt: "2026-12-05T09:30:00.000Z",
      endsAt: null,
    },
    customer: { id: "cus_1", name: "Contoso & Co" },
    url: "https://stint.example/grants/gr_abc",
    details: {},
  },
};

describe("rendering a notification", () => {
  it("says what happened, to whom, and links to the console to act (no approve-by-link)", () => {
    const m = messageFor(payload);
    expect(m.summary).toBe("Tess <Technician> asks for access to Contoso & Co and needs your approval.");
    expect(m.action).toEqual({ label: "Review the request", url: "https://stint.example/grants/gr_abc" });
    expect(m.facts).toContainEqual(["Ticket", "4711"]);
  });

  it("writes its times as the console does, in UTC or in the reader's zone", () => {
    const ending = { ...payload, type: "grant.ending_soon" as const, data: { ...payload.data, grant: { ...payload.data.grant!, endsAt: "2026-12-05T10:30:00.000Z" } } };
    const utc = messageFor(ending);
    expect(utc.facts).toContainEqual(["Ends", "5 Dec 2026, 10:30 UTC"]);
    expect(utc.facts).toContainEqual(["When", "5 Dec 2026, 09:30 UTC"]);
    const berlin = messageFor(ending, "Europe/Berlin");
    expect(berlin.summary).toBe("Access of Tess <Technician> to Contoso & Co ends at 5 Dec 2026, 11:30 CET.");
    expect(berlin.facts).toContainEqual(["Ends", "5 Dec 2026, 11:30 CET"]);
  });

  it("escapes text in the e-mail's HTML", () => {
    const { subject, html, text } = renderEmail(messageFor(payload));
    expect(subject).toBe("Approval requested");
    expect(html).toContain("Tess &lt;Technician&gt;");
    expect(html).toContain("Contoso &amp; Co");
    expect(html).not.toContain("<Technician>");
    expect(text).toContain("Review the request: https://stint.example/grants/gr_abc");
  });

  it("marks alerts that need action", () => {
    expect(renderEmail(messageFor({ ...payload, type: "grant.irrevocable" })).subject).toBe("[Action needed] Access could not be removed");
  });

  it("builds Slack blocks with at most ten fields and escaped mrkdwn", () => {
    const body = renderSlack(messageFor({ ...payload, data: { ...payload.data, details: Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, i])) } }));
    expect(body.text).toContain("Contoso &amp; Co");
    expect(body.blocks[2]!.fields!.length).toBe(10);
    expect(body.blocks[3]!.elements![0]).toMatchObject({ type: "button", url: "https://stint.example/grants/gr_abc" });
  });

  it("builds a Teams message carrying one Adaptive Card with an open-URL action", () => {
    const body = renderTeams(messageFor(payload));
    const card = body.attachments[0]!.content;
    expect(card.type).toBe("AdaptiveCard");
    expect(card.actions).toEqual([{ type: "Action.OpenUrl", title: "Review the request", url: "https://stint.example/grants/gr_abc" }]);
  });
});
