import { z } from "zod";
import type { Permission } from "@/lib/auth/permissions";
import type { TokenScope } from "@/lib/vocabulary/token-scopes";
import { AppError, toErrorBody } from "@/lib/errors";
import * as s from "./schemas";

/**
 * The v1 contract: every operation once, with its scope, inputs and output. Route files bind handlers
 * to these (apiRoute(operations.x, …)), the OpenAPI document is generated from them, and the API
 * suite walks them — one list, so the three cannot drift apart.
 */
export type Operation = {
  id: string;
  method: "GET" | "POST" | "DELETE";
  /** Under /api/v1, OpenAPI style: /grants/{grantId}. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** "none": public (the leaked-token report); otherwise a token or a console session. */
  auth: "required" | "none";
  /** The token scope needed; null = any authenticated caller. Sessions pass scope checks. */
  scope: TokenScope | null;
  /** A role permission needed as well (for tokens: role ∩ scope). */
  permission?: Permission;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  output: z.ZodType | null;
  status: 200 | 201 | 204;
  /** Accepts an Idempotency-Key header (POSTs that create). */
  idempotent?: boolean;
  /**
   * What a replay under the same Idempotency-Key answers, for an operation whose answer must never be
   * given twice (it carries a secret shown once). Only this is kept for the replay, never the answer itself.
   */
  replayAnswer?: (output: never) => { status: number; body: unknown };
  /** Acts on one customer's data: a token restricted to other customers gets 404. */
  customerBound?: boolean;
  /** Answers of this operation beyond the common ones (status → meaning), for the document. */
  errors?: Partial<Record<403 | 409 | 410 | 429, string>>;
};

const op = <const T extends Operation>(o: T) => o;

export const operations = {
  getMe: op({ id: "getMe", method: "GET", path: "/me", tag: "Me", summary: "Who is calling", auth: "required", scope: null, output: s.meOutput, status: 200 }),

  listCustomers: op({ id: "listCustomers", method: "GET", path: "/customers", tag: "Customers", summary: "List the customers you can see", auth: "required", scope: "customers:read", query: s.pageQuery, output: s.customerPage, status: 200 }),
  getCustomer: op({ id: "getCustomer", method: "GET", path: "/customers/{customerId}", tag: "Customers", summary: "Read one customer", auth: "required", scope: "customers:read", params: s.customerParams, output: s.customerOutput, status: 200, customerBound: true }),
  getMyAccess: op({
    id: "getMyAccess",
    method: "GET",
    path: "/customers/{customerId}/my-access",
    tag: "Customers",
    summary: "What you may request on one customer",
    auth: "required",
    scope: "customers:read",
    params: s.customerParams,
    output: s.myAccessOutput,
    status: 200,
    customerBound: true,
  }),
  listAccessLevels: op({
    id: "listAccessLevels",
    method: "GET",
    path: "/access-levels",
    tag: "Customers",
    summary: "List the MSP's access levels",
    auth: "required",
    scope: "customers:read",
    permission: "customers:read_all",
    query: s.pageQuery,
    output: s.accessLevelPage,
    status: 200,
  }),

  listGrants: op({ id: "listGrants", method: "GET", path: "/grants", tag: "Grants", summary: "List grants (yours, or all with all=true)", auth: "required", scope: "grants:read", query: s.grantListQuery, output: s.grantPage, status: 200 }),
  requestGrant: op({
    id: "requestGrant",
    method: "POST",
    path: "/grants",
    tag: "Grants",
    summary: "Request access",
    description: "The policy decides at once: 201 with the approved grant, 422 with every reason, or 409 with the live grant to extend. Send an Idempotency-Key to retry safely.",
    auth: "required",
    scope: "grants:write",
    body: s.requestGrantBody,
    output: s.grantOutput,
    status: 201,
    idempotent: true,
    customerBound: true,
    errors: { 409: "conflict: you already have a live grant on this customer (extend it), or a request with this Idempotency-Key is still running" },
  }),
  getGrant: op({ id: "getGrant", method: "GET", path: "/grants/{grantId}", tag: "Grants", summary: "Read one grant with its timeline", auth: "required", scope: "grants:read", params: s.grantParams, output: s.grantDetailOutput, status: 200, customerBound: true }),
  extendGrant: op({
    id: "extendGrant",
    method: "POST",
    path: "/grants/{grantId}/extend",
    tag: "Grants",
    summary: "Extend your live grant",
    auth: "required",
    scope: "grants:write",
    params: s.grantParams,
    body: s.extendGrantBody,
    output: s.grantOutput,
    status: 200,
    customerBound: true,
    errors: { 409: "conflict: the grant is not live or is being ended, its pass cannot be renewed that far, or it changed meanwhile" },
  }),
  endGrant: op({
    id: "endGrant",
    method: "POST",
    path: "/grants/{grantId}/end",
    tag: "Grants",
    summary: "End your grant now",
    auth: "required",
    scope: "grants:write",
    params: s.grantParams,
    output: s.grantOutput,
    status: 200,
    customerBound: true,
    errors: { 409: "conflict: the grant has already ended, or it changed meanwhile" },
  }),
  retryRevocation: op({
    id: "retryRevocation",
    method: "POST",
    path: "/grants/{grantId}/retry-revocation",
    tag: "Grants",
    summary: "Try again now to take away a grant's access that could not be revoked",
    description:
      "For a grant in state irrevocable (Stint could not prove its access gone and keeps retrying, at most an hour apart): the next attempt runs at once. Owners and admins; audited as grant.revocation_retry_requested.",
    auth: "required",
    scope: "grants:write",
    permission: "grants:revoke",
    params: s.grantParams,
    output: s.grantOutput,
    status: 200,
    customerBound: true,
    errors: { 409: "conflict: the grant is not irrevocable" },
  }),
  revealCredential: op({
    id: "revealCredential",
    method: "POST",
    path: "/grants/{grantId}/credential",
    tag: "Grants",
    summary: "Read your grant's JIT credential (audited)",
    description:
      "Personal access tokens only: they need credentials:read and must belong to the grant's owner; every call is audited (viaToken). The browser extension's token is refused (403 forbidden) and reads credentials through a one-time launch ticket instead. Console sessions need a passkey step-up made for each reveal (403 step_up_required otherwise).",
    auth: "required",
    scope: "credentials:read",
    params: s.grantParams,
    output: s.credentialOutput,
    status: 200,
    customerBound: true,
    errors: { 409: "conflict: the grant is not active, so there is no credential to reveal" },
  }),

  issueLaunchTicket: op({
    id: "issueLaunchTicket",
    method: "POST",
    path: "/grants/{grantId}/launch-ticket",
    tag: "Launch tickets",
    summary: "Get a one-time launch ticket for your grant (browser extension)",
    description:
      "Access tokens only (extension or personal, with credentials:read); a console session is refused (403). The grant must be the token owner's own active grant. The ticket is bound to the grant, the member and this token, lives at most 60 s and carries no secret; every issue is audited.",
    auth: "required",
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
    path: "/launch-tickets/redeem",
    tag: "Launch tickets",
    summary: "Redeem a launch ticket for the grant's credential (once)",
    description:
      "Present the ticket with the same token it was issued to (403 otherwise). A ticket is accepted once: a second redemption, or an expired ticket, is 410; a grant that ended since the issue is 409. Every redemption is audited; the answer is never cached.",
    auth: "required",
    scope: "credentials:read",
    body: s.redeemLaunchTicketBody,
    output: s.launchCredentialOutput,
    status: 200,
    errors: { 409: "conflict: the grant ended since the ticket was issued", 410: "gone: the ticket expired or was already redeemed" },
  }),

  startExtensionPairing: op({
    id: "startExtensionPairing",
    method: "POST",
    path: "/extension/pairings",
    tag: "Extension pairing",
    summary: "Start pairing the browser extension (no authentication)",
    description:
      "Device-code style (RFC 8628). Show userCode to the member, who enters it at verificationUri and approves with a passkey; meanwhile poll POST /extension/pairings/poll every interval seconds. Expires after expiresIn seconds. Rate-limited per client address.",
    auth: "none",
    scope: null,
    body: s.startPairingBody,
    output: s.startedPairingOutput,
    status: 201,
  }),
  pollExtensionPairing: op({
    id: "pollExtensionPairing",
    method: "POST",
    path: "/extension/pairings/poll",
    tag: "Extension pairing",
    summary: "Poll a pairing for the extension's token (no authentication)",
    description:
      "pending: poll again after interval. approved: the answer carries the extension's token (type extension, scopes grants:read and credentials:read), exactly once. 403 pairing_denied: the member refused. 410: unknown, expired or already collected; start again. 429 slow_down (with Retry-After): polled faster than the interval.",
    auth: "none",
    scope: null,
    body: s.pollPairingBody,
    output: s.pairingPollOutput,
    status: 200,
    errors: {
      403: "pairing_denied: the member refused this pairing",
      410: "gone: unknown, expired or already collected; start pairing again",
      429: "slow_down: polled faster than the interval (see Retry-After), or rate limited",
    },
  }),

  listAuditEvents: op({ id: "listAuditEvents", method: "GET", path: "/audit-events", tag: "Audit", summary: "Audit events, newest first", auth: "required", scope: "audit:read", permission: "audit:read", query: s.auditQuery, output: s.auditPage, status: 200 }),

  listTokens: op({ id: "listTokens", method: "GET", path: "/tokens", tag: "Tokens", summary: "Your access tokens", auth: "required", scope: "tokens:manage", query: s.pageQuery, output: s.tokenPage, status: 200 }),
  createToken: op({
    id: "createToken",
    method: "POST",
    path: "/tokens",
    tag: "Tokens",
    summary: "Create an access token (console session with a fresh passkey step-up only)",
    description:
      "A token can never create tokens (403). The answer carries the token, the only time it is shown: a retry with the same Idempotency-Key answers 409 with the token's id in error.details.tokenId, never the token again.",
    auth: "required",
    scope: "tokens:manage",
    body: s.createTokenBody,
    output: s.createdTokenOutput,
    status: 201,
    idempotent: true,
    replayAnswer: (created: z.output<typeof s.createdTokenOutput>) =>
      toErrorBody(
        new AppError("conflict", "This Idempotency-Key already created a token. Its secret is shown only once; revoke the token and create another if it was lost.", {
          details: { tokenId: created.id },
        }),
      ),
    errors: {
      409: "conflict: this Idempotency-Key already created a token (error.details.tokenId, no secret), or a request with the key is still running",
    },
  }),
  revokeCurrentToken: op({
    id: "revokeCurrentToken",
    method: "DELETE",
    path: "/tokens/current",
    tag: "Tokens",
    summary: "Revoke the token making this call (sign out)",
    description: "Access tokens only, any scope: a token may always give up its own access. The browser extension's Disconnect uses it. Audited as token.revoked by its owner.",
    auth: "required",
    scope: null,
    output: null,
    status: 204,
  }),
  revokeToken: op({ id: "revokeToken", method: "DELETE", path: "/tokens/{tokenId}", tag: "Tokens", summary: "Revoke one of your tokens", auth: "required", scope: "tokens:manage", params: s.tokenParams, output: null, status: 204 }),
  reportLeakedToken: op({
    id: "reportLeakedToken",
    method: "POST",
    path: "/tokens/report",
    tag: "Tokens",
    summary: "Report a leaked token (no authentication)",
    description: "Revokes a live token at once. The answer is the same whatever was sent. Rate-limited per client address.",
    auth: "none",
    scope: null,
    body: s.reportTokenBody,
    output: s.reportTokenOutput,
    status: 200,
  }),

  evaluatePolicy: op({
    id: "evaluatePolicy",
    method: "POST",
    path: "/policies/evaluate",
    tag: "Policies",
    summary: "May this subject do this action on this resource?",
    description:
      "Subject: the caller when omitted (any caller), or username + token (evaluated as that token would be; owners and admins only, through a token with the tokens:manage scope; every such evaluation is audited as policy.subject_evaluated). Answers allowed, every reason, and the effective permissions (token scopes ∩ the owner's role and delegations). An invalid subject token is simply not allowed (subject_invalid), never an error.",
    auth: "required",
    scope: null,
    body: s.evaluatePolicyBody,
    output: s.evaluatePolicyOutput,
    status: 200,
    errors: { 403: "forbidden: a subject was given, and the caller may not manage every token (tokens:manage_all, scope tokens:manage)" },
  }),
} as const satisfies Record<string, Operation>;

export type OperationId = keyof typeof operations;
export const operationList: readonly Operation[] = Object.values(operations);

/** /grants/{grantId} → app/api/v1/grants/[grantId]/route.ts */
export function routeFileOf(path: string): string {
  return `app/api/v1${path.replace(/\{(\w+)\}/g, "[$1]")}/route.ts`;
}
