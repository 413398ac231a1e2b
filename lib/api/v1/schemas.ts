import "zod-openapi";
import { z } from "zod";
import { tokenScopes } from "@/lib/vocabulary/token-scopes";
import { expiryActions } from "@/lib/vocabulary/expiry-actions";
import { grantStates } from "@/lib/vocabulary/grant-states";
import { memberRoles } from "@/lib/vocabulary/member-roles";
import { signInMethods } from "@/lib/vocabulary/sign-in-methods";
import { auditFilterTime } from "@/lib/validation/audit-time";
import { pollPairingInput, startPairingInput } from "@/lib/services/extension-pairings/schemas";
import { createTokenInput } from "@/lib/services/tokens/schemas";
import { requestGrantInput, extendGrantInput, revokeGrantInput } from "@/lib/services/grants/schemas";
import { policyDemandsOutput } from "./approval-schemas";

/**
 * The v1 wire format: camelCase names, ISO-8601 UTC times (strings), opaque base64url cursors.
 * Request schemas are the services' own where they exist (the API cannot drift from the console);
 * response schemas are explicit, and every route's answer is parsed through its schema on the way out.
 */

const id = (description: string) => z.string().min(1).max(40).meta({ description });
const time = z.iso.datetime({ offset: true }).meta({ description: "ISO-8601 time (UTC)." });
const nullableTime = time.nullable();

export const iso = (d: Date | string | null | undefined): string | null => (d == null ? null : new Date(d).toISOString());
export const isoRequired = (d: Date | string): string => new Date(d).toISOString();

// ---- errors and pagination ------------------------------------------------------------------

export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: "Stable machine-readable code, e.g. validation_failed." }),
      message: z.string(),
      field: z.string().optional().meta({ description: "The input field at fault (dotted path), when there is one." }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: "Error" });

/**
 * A whole number in plain decimal digits, as a query string carries it. Coercion would also take "0x10",
 * "1e1", "0b1", " 8 " or "" (as 0) and guess what the caller meant; the document still says integer.
 */
const decimalInteger = (min: number, max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,15}$/, { error: "must be a whole number in decimal digits" })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .meta({
      override: ({ jsonSchema }: { jsonSchema: Record<string, unknown> }) => {
        delete jsonSchema.pattern;
        Object.assign(jsonSchema, { type: "integer", minimum: min, maximum: max });
      },
    });

export const pageQuery = z.object({
  cursor: z.string().max(200).optional().meta({ description: "Opaque cursor from a previous page's nextCursor." }),
  limit: decimalInteger(1, 100).default(50).meta({ description: "Page size, 1–100 (default 50)." }),
});

const page = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable().meta({ description: "Pass as cursor for the next page; null at the end." }) }).meta({ id: name });

// ---- params ------------------------------------------------------------------------------------

export const customerParams = z.object({ customerId: id("Customer id.") });
export const grantParams = z.object({ grantId: id("Grant id.") });
export const tokenParams = z.object({ tokenId: id("Token id.") });

// ---- me ------------------------------------------------------------------------------------------

export const meOutput = z
  .object({
    mspId: z.string(),
    member: z.object({ id: z.string(), email: z.string(), role: z.string() }),
    authenticatedBy: z.enum(["session", "token"]),
    token: z
      .object({ id: z.string(), name: z.string(), type: z.string(), scopes: z.array(z.enum(tokenScopes)), customerIds: z.array(z.string()).nullable(), expiresAt: time })
      .nullable(),
    permissions: z.array(z.string()).meta({ description: "Effective permissions: the role's, narrowed by the token's scopes." }),
  })
  .meta({ id: "Me" });

// ---- customers and access levels ----------------------------------------------------------------

export const customerSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(["active", "archived"]),
    isSandbox: z.boolean(),
    createdAt: time,
    connection: z.object({ status: z.string(), tenantId: z.string().nullable(), tenantName: z.string().nullable(), healthOk: z.boolean().nullable(), healthCheckedAt: nullableTime }).nullable(),
  })
  .meta({ id: "CustomerSummary" });
export const customerPage = page(customerSummary, "CustomerPage");

// ---- members --------------------------------------------------------------------------------------

export const memberListQuery = pageQuery.extend({
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Text in the member's name or e-mail address (case-insensitive)." }),
});

export const memberSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(memberRoles),
    status: z.enum(["active", "disabled"]),
    passkeys: z.number().int().meta({ description: "Passkeys registered; 0: the member has not finished signing up or was reset." }),
    createdAt: time,
  })
  .meta({ id: "Member" });
export const memberPage = page(memberSummary, "MemberPage");

export const customerOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(["active", "archived"]),
    isSandbox: z.boolean(),
    upnDomain: z.string().nullable(),
    defaultDurationMinutes: z.number().int(),
    maxDurationMinutes: z.number().int(),
    consentText: z.string().nullable(),
    signInMethod: z.enum(signInMethods).meta({ description: "The sign-in method chosen for this customer's JIT accounts (set in the console)." }),
    signIn: z
      .object({
        method: z.enum(signInMethods).meta({ description: "The method new grants get now: the chosen one where the tenant allows it, else password." }),
        problems: z.array(z.object({ code: z.string(), message: z.string(), fix: z.string() })).meta({ description: "Why Temporary Access Passes cannot be issued, with what to change." }),
        notes: z.array(z.string()),
      })
      .nullable()
      .meta({ description: "What the connected tenant allows for sign-in; null while not connected." }),
    createdAt: time,
    connection: z.object({ status: z.string(), tenantId: z.string().nullable(), tenantName: z.string().nullable(), healthOk: z.boolean().nullable(), healthCheckedAt: nullableTime }).nullable(),
  })
  .meta({ id: "Customer" });

export const myAccessOutput = z
  .object({
    customerId: z.string(),
    customer: z
      .object({
        id: z.string(),
        name: z.string(),
        isSandbox: z.boolean(),
        connected: z.boolean().meta({ description: "Whether its Entra ID is connected: requests are possible only then." }),
        consentText: z.string().nullable().meta({ description: "Terms a request must accept (consentAccepted: true), if any." }),
        defaultDurationMinutes: z.number().int(),
        maxDurationMinutes: z.number().int(),
      })
      .meta({ description: "The customer's limits and terms for requests." }),
    accessLevels: z
      .array(
        z.object({
          accessLevelId: z.string(),
          name: z.string(),
          roleTemplateIds: z.array(z.string()),
          roleNames: z.array(z.string()).meta({ description: "The roles' display names, in roleTemplateIds order." }),
          maxDurationMinutes: z.number().int().meta({ description: "The longest grant your delegation allows for this level." }),
        }),
      )
      .meta({ description: "Enabled on this customer and delegated to you (directly or through a team), by name." }),
  })
  .meta({ id: "MyAccess" });

export const accessLevelOutput = z
  .object({ id: z.string(), name: z.string(), description: z.string().nullable(), roleTemplateIds: z.array(z.string()), customerIds: z.array(z.string()) })
  .meta({ id: "AccessLevel" });
export const accessLevelPage = page(accessLevelOutput, "AccessLevelPage");

// ---- grants ------------------------------------------------------------------------------------------

export const grantListQuery = pageQuery.extend({
  customerId: z.string().max(40).optional(),
  state: z.enum(grantStates).optional(),
  scope: z.enum(["live", "history", "all"]).default("live").meta({ description: "live (default), history or all." }),
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Text in the ticket, justification, account or what the hooks said (case-insensitive)." }),
  mine: z
    .enum(["true", "false"])
    .default("false")
    .meta({ description: "true: only your own grants. Default: every grant you may see (owners, admins and auditors: the MSP's; technicians: their own)." }),
  memberId: z.string().max(40).optional().meta({ description: "Only this technician's grants." }),
});

export const grantOutput = z
  .object({
    id: z.string(),
    state: z.enum(grantStates),
    customerId: z.string(),
    memberId: z.string(),
    upn: z.string(),
    accessLevelIds: z.array(z.string()),
    roleTemplateIds: z.array(z.string()),
    durationMinutes: z.number().int(),
    extendedMinutes: z.number().int(),
    justification: z.string(),
    ticketRef: z.string().nullable(),
    startAt: time,
    usableFrom: nullableTime,
    endsAt: nullableTime,
    usableTo: nullableTime,
    endReason: z.string().nullable(),
    revokeReason: z.string().nullable().meta({ description: "Why an owner or admin revoked the grant, as they wrote it." }),
    failureReason: z.string().nullable(),
    signInMethod: z.enum(signInMethods).meta({ description: "How the JIT account signs in: tap (Temporary Access Pass, passes Microsoft's MFA) or password." }),
    temporaryAccessPassExpiresAt: nullableTime.meta({ description: "When the current pass lapses (tap grants); a grant outlasting it gets a new one shortly before." }),
    temporaryAccessPassRenewalError: z
      .string()
      .nullable()
      .meta({ description: "Why the pass could not be renewed; new sign-ins stop when the current pass lapses." }),
    approvalsRequired: z.number().int().meta({ description: "Approvals the request needed (0: none); approvedBy lists who gave them." }),
    approvedBy: z.array(z.string()).meta({ description: "Member ids of the approvers, in order." }),
    approvalExpiresAt: nullableTime.meta({ description: "While pending_approval: when the request expires unanswered." }),
    denialReason: z.string().nullable().meta({ description: "Why an approver denied the request." }),
    emergency: z.boolean().meta({ description: "Break glass: approval was skipped; approvers review it afterwards." }),
    hookMetadata: z.string().nullable().meta({ description: "What the policy's hooks said of the grant (their additional_metadata, e.g. the PSA ticket's summary)." }),
    createdAt: time,
    customer: z.object({ name: z.string(), isSandbox: z.boolean().meta({ description: "The sandbox customer, on the emulated tenant of npm start." }) }),
    member: z.object({ name: z.string(), email: z.string() }).meta({ description: "The technician the grant is for." }),
    accessLevels: z.array(z.object({ id: z.string(), name: z.string() })).meta({ description: "The grant's access levels, with their names." }),
  })
  .meta({ id: "Grant" });
export const grantPage = page(grantOutput, "GrantPage");

export const grantDetailOutput = grantOutput
  .extend({
    hasCredential: z.boolean(),
    expiryActions: z.array(z.enum(expiryActions)).meta({ description: "What ending the grant does, in order; each is proven by reading the tenant back." }),
    steps: z.array(
      z.object({ id: z.string(), step: z.string(), status: z.enum(["running", "succeeded", "failed"]), startedAt: time, finishedAt: nullableTime, detail: z.string().nullable() }),
    ),
  })
  .meta({ id: "GrantDetail" });

export const grantExportQuery = z.object({
  customerId: z.string().max(40).optional(),
  memberId: z.string().max(40).optional().meta({ description: "One technician's grants." }),
  state: z.enum(grantStates).optional(),
  scope: z.enum(["live", "history", "all"]).default("live").meta({ description: "live (default), history or all." }),
  q: z.string().trim().min(1).max(200).optional().meta({ description: "Text in the ticket, justification, account or what the hooks said." }),
});

const evidenceStep = z.object({
  step: z.string(),
  status: z.enum(["running", "succeeded", "failed"]),
  startedAt: time,
  finishedAt: nullableTime,
  detail: z.string().nullable().meta({ description: "What the step did, and what reading Microsoft Graph back showed." }),
  data: z.record(z.string(), z.unknown()),
});

const evidenceEvent = z.object({
  seq: z.number().int().meta({ description: "Position in the MSP's audit hash chain." }),
  occurredAt: time,
  actorType: z.string(),
  actorId: z.string().nullable(),
  actorLabel: z.string().nullable(),
  action: z.string(),
  result: z.enum(["success", "failure"]),
  reason: z.string().nullable(),
  ip: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string().meta({ description: "SHA-256 over the previous hash and this event's canonical form." }),
});

export const grantEvidenceOutput = z
  .object({
    exportedAt: time,
    grant: grantDetailOutput.omit({ steps: true, hasCredential: true }).extend({
      entraTenantId: z.string(),
      entraUserId: z.string().nullable(),
      endRequestedBy: z.string().nullable(),
      expiryStartedAt: nullableTime,
      expiryAttempts: z.number().int(),
    }),
    timeline: z.array(evidenceStep),
    audit: z.object({
      events: z.array(evidenceEvent),
      chainHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable().meta({ description: "The chain's last event when exported." }),
      sealedBy: z
        .object({ n: z.number().int(), seq: z.number().int(), hash: z.string(), sealedAt: time, mac: z.string() })
        .nullable()
        .meta({ description: "The first sealed checkpoint at or after the grant's last event (null until the next seal)." }),
    }),
  })
  .meta({ id: "GrantEvidence", description: "A grant's proof: the grant, its timeline with each Graph read-back, and its audit events in the hash chain." });

export const requestGrantBody = requestGrantInput.meta({ id: "GrantRequest" });
export const extendGrantBody = extendGrantInput.meta({ id: "GrantExtension" });
export const revokeGrantBody = revokeGrantInput.meta({ id: "GrantRevocation" });

/** A JIT account's credential: the pass for the pass method, the password for the password method. */
const credentialFields = {
  userPrincipalName: z.string(),
  signInMethod: z
    .enum(signInMethods)
    .meta({ description: "tap: sign in with temporaryAccessPass, which satisfies Microsoft's MFA; password: with password alone." }),
  temporaryAccessPass: z.string().nullable().meta({ description: "The current Temporary Access Pass (tap method); a new one replaces it before it lapses." }),
  temporaryAccessPassExpiresAt: nullableTime.meta({ description: "When the current pass lapses (tap method)." }),
  password: z.string().nullable().meta({ description: "The account's password (password method only)." }),
};

export const credentialOutput = z
  .object({ ...credentialFields, endsAt: nullableTime })
  .meta({ id: "Credential", description: "Shown once per call; every call is audited." });

// ---- launch tickets (browser extension) ---------------------------------------------------------------

export const launchTicketOutput = z
  .object({
    ticket: z.string().meta({ description: "One-time launch ticket, bound to this grant and this token. Carries no secret." }),
    expiresAt: time,
    signInUrl: z.url().meta({ description: "Where to open the grant's sign-in (EXTENSION_SIGN_IN_URL with the grant's tenant and UPN filled in)." }),
    tenantId: z.string().meta({ description: "The grant's Entra tenant: the extension fills only that tenant's sign-in (or Microsoft's common one)." }),
  })
  .meta({ id: "LaunchTicket", description: "Valid at most 60 s; redeem it once, with the same token." });

export const redeemLaunchTicketBody = z
  .object({ ticket: z.string().min(1).max(2048).meta({ description: "The ticket from POST /grants/{grantId}/launch-ticket." }) })
  .meta({ id: "LaunchTicketRedemption" });

export const launchCredentialOutput = z
  .object({ ...credentialFields, tenantId: z.string() })
  .meta({ id: "LaunchCredential", description: "The grant's JIT credential, once per ticket; every redemption is audited." });

// ---- extension pairing (device-code style) ------------------------------------------------------------

export const startPairingBody = startPairingInput.meta({ id: "ExtensionPairingStart" });
export const startedPairingOutput = z
  .object({
    deviceCode: z.string().meta({ description: "The extension's secret for polling. Keep it; never show it." }),
    userCode: z.string().meta({ description: "Show this to the member (XXXX-XXXX); they type it in the console." }),
    verificationUri: z
      .url()
      .meta({ description: "The console page where the member types the code. There is no link with the code filled in: the member must read it off the extension." }),
    expiresIn: z.number().int().meta({ description: "Seconds until the pairing expires." }),
    interval: z.number().int().meta({ description: "Seconds to wait between polls." }),
  })
  .meta({ id: "ExtensionPairing" });

export const pollPairingBody = pollPairingInput.meta({ id: "ExtensionPairingPoll" });
export const pairingPollOutput = z
  .discriminatedUnion("status", [
    z.object({ status: z.literal("pending") }),
    z.object({
      status: z.literal("approved"),
      token: z.string().meta({ description: "The extension's access token (ste_…): shown this once." }),
      tokenId: z.string(),
      expiresAt: time,
      member: z.object({ email: z.string(), displayName: z.string() }),
      mspName: z.string(),
    }),
  ])
  .meta({ id: "ExtensionPairingPollAnswer" });

// ---- audit ---------------------------------------------------------------------------------------------

export const auditQuery = pageQuery.extend({
  action: z.string().trim().max(100).optional().meta({ description: "Action prefix, e.g. grant. or grant.approved." }),
  actor: z.string().trim().max(200).optional(),
  result: z.enum(["success", "failure"]).optional(),
  text: z.string().trim().min(1).max(200).optional().meta({ description: "Text in the reason, target or metadata (e.g. a hook's additional_metadata), case-insensitive." }),
  from: auditFilterTime.optional().meta({ description: "ISO-8601 date or date-time with offset, inclusive." }),
  to: auditFilterTime.optional().meta({ description: "ISO-8601 date or date-time with offset, exclusive." }),
});

export const auditEventOutput = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    occurredAt: time,
    actorType: z.string(),
    actorId: z.string().nullable(),
    actorLabel: z.string().nullable(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    targetLabel: z.string().nullable(),
    result: z.enum(["success", "failure"]),
    reason: z.string().nullable(),
    ip: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
  })
  .meta({ id: "AuditEvent" });
export const auditPage = page(auditEventOutput, "AuditEventPage");

// ---- tokens ---------------------------------------------------------------------------------------------

export const tokenOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    hint: z.string(),
    scopes: z.array(z.enum(tokenScopes)),
    customerIds: z.array(z.string()).nullable(),
    allowedCidrs: z.array(z.string()).nullable(),
    status: z.enum(["active", "expired", "revoked"]),
    expiresAt: time,
    createdAt: time,
    lastUsedAt: nullableTime,
    revokedAt: nullableTime,
  })
  .meta({ id: "Token" });
export const tokenPage = page(tokenOutput, "TokenPage");

export const createTokenBody = createTokenInput.meta({ id: "TokenCreate" });
export const createdTokenOutput = z
  .object({
    token: z.string().meta({ description: "The token itself. Shown once, never again." }),
    id: z.string(),
    name: z.string(),
    hint: z.string(),
    scopes: z.array(z.enum(tokenScopes)),
    customerIds: z.array(z.string()).nullable(),
    expiresAt: time,
  })
  .meta({ id: "CreatedToken" });

export const reportTokenBody = z.object({ token: z.string().max(200).meta({ description: "The leaked token." }) }).meta({ id: "LeakReport" });
export const reportTokenOutput = z.object({ received: z.literal(true) }).meta({ id: "LeakReportAnswer" });

// ---- policy evaluation ----------------------------------------------------------------------------------

export const policyActions = tokenScopes;

export const evaluatePolicyBody = z
  .object({
    subject: z
      .object({
        username: z.string().trim().min(1).max(320).meta({ description: "The token owner's email address." }),
        token: z.string().min(1).max(200).meta({ description: "The access token to evaluate." }),
      })
      .optional()
      .meta({ description: "Omit to evaluate the caller itself." }),
    action: z.enum(policyActions).meta({ description: "What the subject wants to do." }),
    resource: z
      .object({
        customerId: z.string().min(1).max(40).optional(),
        accessLevelIds: z.array(z.string().min(1).max(40)).min(1).max(20).optional(),
        durationMinutes: z.number().int().min(1).max(100_000).optional(),
        startAt: z.coerce.date().optional().meta({ description: "A scheduled start: hours are judged at it." }),
        emergency: z.boolean().optional().meta({ description: "Evaluate a break-glass request." }),
        ticketRef: z.string().trim().max(100).optional().meta({ description: "The ticket the request would name (for the hooks' dry run)." }),
        runHooks: z.boolean().optional().meta({ description: "grants:write: also ask the policy's authenticate hooks, in dry-run mode (they change nothing)." }),
      })
      .default({}),
  })
  .meta({ id: "PolicyEvaluationRequest" });

export const evaluatePolicyOutput = z
  .object({
    allowed: z.boolean(),
    reasons: z.array(z.object({ code: z.string(), message: z.string(), field: z.string().optional() })),
    subject: z.object({ memberId: z.string(), tokenId: z.string().nullable() }).nullable(),
    effectivePermissions: z.object({
      scopes: z.array(z.enum(tokenScopes)).meta({ description: "Scopes usable now: token scopes ∩ what the owner's role allows." }),
      permissions: z.array(z.string()).meta({ description: "Role permissions reachable through those scopes." }),
      customerIds: z.array(z.string()).nullable().meta({ description: "Token customer restriction; null = every customer the owner may see." }),
      accessLevels: z
        .array(z.object({ accessLevelId: z.string(), name: z.string(), maxDurationMinutes: z.number().int() }))
        .meta({ description: "On resource.customerId: the access levels delegated to the subject." }),
    }),
    demands: policyDemandsOutput
      .nullable()
      .meta({ description: "For grants:write on resource.customerId: what the access policies ask of such a request (approval, ticket, hours…), as the request form shows it." }),
    hooks: z
      .array(
        z.object({
          hook: z.string(),
          verdict: z.enum(["ACCEPT", "DENY", "NONE", "NEEDINFO"]),
          message: z.string().nullable(),
          questions: z.array(z.object({ key: z.string(), prompt: z.string(), hidden: z.boolean() })),
          failed: z.string().nullable().meta({ description: "Why the hook did not answer; the verdict is then its failure policy's." }),
        }),
      )
      .nullable()
      .meta({ description: "With resource.runHooks: what each authenticate hook said in dry-run mode. A DENY also appears in reasons (hook_denied)." }),
  })
  .meta({ id: "PolicyEvaluation" });
