import { op } from "@/lib/api/operation";
import * as s from "@/lib/api/v1/schemas";

export const launchTicketsOperations = {
  issueLaunchTicket: op({
    id: "issueLaunchTicket",
    method: "POST",
    path: "/api/v1/grants/{grantId}/launch-ticket",
    tag: "Launch tickets",
    summary: "Get a one-time launch ticket for your grant (browser extension)",
    description:
      "Access tokens only (extension or personal, with credentials:read); a console session is refused (403). The grant must be the token owner's own active grant. The ticket is bound to the grant, the member and this token, lives at most 60 s and carries no secret; every issue is audited.",
    auth: "session+token",
    scope: "credentials:read",
    params: s.grantParams,
    output: s.launchTicketOutput,
    status: 201,
    customerBound: true,
    errors: { 409: "conflict: the grant is not active, so there is no credential to launch" },
  }),
  redeemLaunchTicket: op({
    id: "redeemLaunchTicket",
    method: "POST",
    path: "/api/v1/launch-tickets/redeem",
    tag: "Launch tickets",
    summary: "Redeem a launch ticket for the grant's credential (once)",
    description:
      "Present the ticket with the same token it was issued to (403 otherwise). A ticket is accepted once: a second redemption, or an expired ticket, is 410; a grant that ended since the issue is 409. Every redemption is audited; the answer is never cached.",
    auth: "session+token",
    scope: "credentials:read",
    body: s.redeemLaunchTicketBody,
    output: s.launchCredentialOutput,
    status: 200,
    errors: { 409: "conflict: the grant ended since the ticket was issued", 410: "gone: the ticket expired or was already redeemed" },
  }),
};
