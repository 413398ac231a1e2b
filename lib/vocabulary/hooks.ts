/**
 * The moments a policy's hooks are asked about a grant: when it is requested (authenticate, which may ask the
 * technician questions), once before its account is made (authorize), and once when its access is gone
 * (session_ended). The names are the `type` of a hook call's payload: add new ones, never rename.
 */
export const hookEvents = ["authenticate", "authorize", "session_ended"] as const;
export type HookEvent = (typeof hookEvents)[number];

/** A signed HTTPS webhook anyone can implement, or the built-in PSA ticket check. */
export const hookKinds = ["webhook", "psa_ticket"] as const;
export type HookKind = (typeof hookKinds)[number];

/** What a hook that does not answer (timeout, error, unreadable answer) counts as. */
export const hookFailurePolicies = ["deny", "allow"] as const;
export type HookFailurePolicy = (typeof hookFailurePolicies)[number];

export const hookVerdicts = ["ACCEPT", "DENY", "NONE", "NEEDINFO"] as const;
export type HookVerdict = (typeof hookVerdicts)[number];

/** What a PSA ticket check does besides checking the ticket. */
export type PsaTicketOptions = {
  /** The ticket must be assigned to the requesting technician (by e-mail). */
  requireAssignee: boolean;
  /** A note on the ticket when the account is made, and one with the exposure and proof when access ends. */
  notes: boolean;
  /** A time entry for the access's actual length when it ends. */
  timeEntry: boolean;
  /** End the grant when its ticket is closed. */
  endOnTicketClose: boolean;
};

export const hookEventLabels: Record<HookEvent, string> = {
  authenticate: "At request",
  authorize: "Before the account is made",
  session_ended: "When access has ended",
};

export const hookKindLabels: Record<HookKind, string> = {
  webhook: "Signed webhook",
  psa_ticket: "PSA ticket check",
};
