import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { can, type Permission } from "@/lib/auth/permissions";
import { scopesAllow } from "@/lib/auth/token-scopes";
import type { TokenScope } from "@/lib/vocabulary/token-scopes";
import { AppError, forbidden } from "@/lib/errors";

export type RequestInfo = { ip: string | null; userAgent: string | null };

export type MemberActor = { type: "member"; memberId: string; role: MemberRole; label: string; sessionId: string | null };

/**
 * A member acting through an access token (lib/services/tokens/authenticate.ts). `role` is the owner's
 * role read at authentication, on every request; `scopes` and `customerIds` only ever narrow it.
 */
export type TokenActor = {
  type: "token";
  tokenId: string;
  memberId: string;
  role: MemberRole;
  label: string;
  scopes: readonly TokenScope[];
  /** null: every customer the owner may see; otherwise only these (applied by visibleCustomers). */
  customerIds: readonly string[] | null;
};

/** A job of the worker, named in the audit log ("job grant.expire"). */
export type SystemActor = { type: "system"; job: string };

export type Actor =
  | MemberActor
  | TokenActor
  | SystemActor
  /** Someone not (yet) signed in: a failed sign-in, an invitee. */
  | { type: "anonymous"; label: string };

/** Who is acting, for which MSP. Built only by the entry wrappers (lib/http), the job runner (jobs/registry.ts) and the sweeper. */
export type ServiceContext = {
  mspId: string;
  actor: Actor;
  request: RequestInfo;
  /** Time of the last fresh passkey assertion in the acting session, if any. */
  steppedUpAt: Date | null;
};

export const noRequest: RequestInfo = { ip: null, userAgent: null };

/** What services run by jobs take: a job acting in one MSP. */
export type SystemContext = ServiceContext & { actor: SystemActor };

export function systemContext(mspId: string, job: string): SystemContext {
  return { mspId, actor: { type: "system", job }, request: noRequest, steppedUpAt: null };
}

/** A member's role must allow it; a token needs the role permission and the matching scope (lib/auth/token-scopes.ts). */
export function hasPermission(ctx: ServiceContext, permission: Permission): boolean {
  const actor = ctx.actor;
  if (actor.type === "system") return true;
  if (actor.type === "member") return can(actor.role, permission);
  if (actor.type === "token") return can(actor.role, permission) && scopesAllow(actor.scopes, permission);
  return false;
}

export function requirePermission(ctx: ServiceContext, permission: Permission): void {
  if (!hasPermission(ctx, permission)) throw forbidden();
}

/**
 * The member acting: a signed-in member, or the owner of the token in use. For a token, sessionId is
 * null, so nothing bound to a console session (step-up, credential reveal) can happen through it.
 */
export function requireMember(ctx: ServiceContext): MemberActor {
  const actor = ctx.actor;
  if (actor.type === "token") return { type: "member", memberId: actor.memberId, role: actor.role, label: actor.label, sessionId: null };
  if (actor.type !== "member") throw forbidden("Only a signed-in member can do this.");
  return actor;
}

/**
 * For entry points a token may reach: the token must carry `scope`. Members and jobs pass; this
 * narrows a token and authenticates nobody (requireMember / requirePermission do that).
 */
export function requireScope(ctx: ServiceContext, scope: TokenScope): void {
  if (ctx.actor.type === "token" && !ctx.actor.scopes.includes(scope)) {
    throw forbidden(`This token lacks the ${scope} scope.`);
  }
}

export const STEP_UP_WINDOW_MS = 5 * 60 * 1000;

/** Sensitive actions need a passkey assertion within the last 5 minutes in this session. */
export function requireFreshStepUp(ctx: ServiceContext, now = new Date()): void {
  if (ctx.actor.type === "system") return;
  if (ctx.actor.type === "token") throw forbidden("This needs a passkey in the console; an access token cannot do it.");
  if (!ctx.steppedUpAt || now.getTime() - ctx.steppedUpAt.getTime() > STEP_UP_WINDOW_MS) {
    throw new AppError("step_up_required", "Confirm it is you with your passkey first.");
  }
}
