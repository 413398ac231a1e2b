import type { MemberRole } from "@/lib/auth/roles";
import { can, type Permission } from "@/lib/auth/permissions";
import { AppError, forbidden } from "@/lib/errors";

export type RequestInfo = { ip: string | null; userAgent: string | null };

export type Actor =
  | { type: "member"; memberId: string; role: MemberRole; label: string; sessionId: string | null }
  | { type: "system"; job: string }
  /** Someone not (yet) signed in: a failed sign-in, an invitee. */
  | { type: "anonymous"; label: string };

/** Who is acting, for which MSP. Built only by the entry wrappers (lib/http) and jobs (systemContext). */
export type ServiceContext = {
  mspId: string;
  actor: Actor;
  request: RequestInfo;
  /** Time of the last fresh passkey assertion in the acting session, if any. */
  steppedUpAt: Date | null;
};

export const noRequest: RequestInfo = { ip: null, userAgent: null };

export function systemContext(mspId: string, job: string): ServiceContext {
  return { mspId, actor: { type: "system", job }, request: noRequest, steppedUpAt: null };
}

export function requirePermission(ctx: ServiceContext, permission: Permission): void {
  if (ctx.actor.type === "system") return;
  if (ctx.actor.type !== "member" || !can(ctx.actor.role, permission)) throw forbidden();
}

export function requireMember(ctx: ServiceContext): Extract<Actor, { type: "member" }> {
  if (ctx.actor.type !== "member") throw forbidden("Only a signed-in member can do this.");
  return ctx.actor;
}

export const STEP_UP_WINDOW_MS = 5 * 60 * 1000;

/** Sensitive actions need a passkey assertion within the last 5 minutes in this session. */
export function requireFreshStepUp(ctx: ServiceContext, now = new Date()): void {
  if (ctx.actor.type === "system") return;
  if (!ctx.steppedUpAt || now.getTime() - ctx.steppedUpAt.getTime() > STEP_UP_WINDOW_MS) {
    throw new AppError("step_up_required", "Confirm it is you with your passkey first.");
  }
}
