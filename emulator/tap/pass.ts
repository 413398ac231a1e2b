import { randomInt, randomUUID } from "node:crypto";
import type { TemporaryAccessPassRecord, Tenant, UserRecord } from "../state";
import { tapPolicyCovers } from "./policy";

export type MethodUsabilityReason = "EnabledByPolicy" | "DisabledByPolicy" | "Expired" | "NotYetValid" | "OneTimeUsed";

/** A pass as Graph describes it, with the pass itself (Graph nulls it on reads). */
export interface TemporaryAccessPassView {
  id: string;
  temporaryAccessPass: string;
  createdDateTime: string;
  startDateTime: string;
  lifetimeInMinutes: number;
  isUsableOnce: boolean;
  isUsable: boolean;
  methodUsabilityReason: MethodUsabilityReason;
}

// Letters, digits and a few symbols, as in Microsoft's samples (`+drkzqAD`, `nc+&G=xwDKCz`).
const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+&=#%@";

export function generatePass(length: number): string {
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join("");
}

/** Creates the user's pass at the policy's length; the previous pass, if any, is gone (one per user). */
export function issuePass(
  tenant: Tenant,
  user: UserRecord,
  input: { lifetimeInMinutes: number; isUsableOnce: boolean; startDateTime: string | undefined },
): TemporaryAccessPassRecord {
  const createdDateTime = new Date().toISOString();
  const pass: TemporaryAccessPassRecord = {
    id: randomUUID(),
    pass: generatePass(tenant.tapPolicy.defaultLength),
    createdDateTime,
    startDateTime: input.startDateTime ?? createdDateTime,
    lifetimeInMinutes: input.lifetimeInMinutes,
    isUsableOnce: input.isUsableOnce,
    usedDateTime: null,
  };
  user.temporaryAccessPass = pass;
  return pass;
}

/** isUsable and methodUsabilityReason, computed when read: the policy and the clock may have moved since creation. */
export function usability(tenant: Tenant, userId: string, pass: TemporaryAccessPassRecord, now = Date.now()): MethodUsabilityReason {
  const start = Date.parse(pass.startDateTime);
  if (!tapPolicyCovers(tenant, userId)) return "DisabledByPolicy";
  if (now < start) return "NotYetValid";
  if (now >= start + pass.lifetimeInMinutes * 60_000) return "Expired";
  if (pass.isUsableOnce && pass.usedDateTime !== null) return "OneTimeUsed";
  return "EnabledByPolicy";
}

export function describePass(tenant: Tenant, userId: string, pass: TemporaryAccessPassRecord): TemporaryAccessPassView {
  const reason = usability(tenant, userId, pass);
  return {
    id: pass.id,
    temporaryAccessPass: pass.pass,
    createdDateTime: pass.createdDateTime,
    startDateTime: pass.startDateTime,
    lifetimeInMinutes: pass.lifetimeInMinutes,
    isUsableOnce: pass.isUsableOnce,
    isUsable: reason === "EnabledByPolicy",
    methodUsabilityReason: reason,
  };
}

/** Whether the sign-in page asks this user for the pass instead of the password. */
export function offersPass(tenant: Tenant, user: UserRecord): boolean {
  return user.temporaryAccessPass !== null && usability(tenant, user.id, user.temporaryAccessPass) === "EnabledByPolicy";
}

export type PassVerdict = "accepted" | "wrong" | "blocked";

/**
 * A pass typed on the sign-in page. Blocked (Microsoft's "blocked due to User Credential Policy") when the policy does
 * not cover the user, a one-time pass was already used, or the pass is multi-use while the policy now demands one-time
 * passes (learn: howto-authentication-temporary-access-pass, troubleshooting); wrong when it differs, expired or has
 * not started. An accepted one-time pass is used up.
 */
export function signInWithPass(tenant: Tenant, user: UserRecord, typed: string): { matched: boolean; verdict: PassVerdict } {
  const pass = user.temporaryAccessPass;
  const matched = pass !== null && typed.length > 0 && typed === pass.pass;
  if (!tapPolicyCovers(tenant, user.id)) return { matched, verdict: "blocked" };
  if (!pass || !matched) return { matched, verdict: "wrong" };
  const reason = usability(tenant, user.id, pass);
  if (reason === "OneTimeUsed" || (tenant.tapPolicy.isUsableOnce && !pass.isUsableOnce)) return { matched, verdict: "blocked" };
  if (reason !== "EnabledByPolicy") return { matched, verdict: "wrong" };
  return { matched, verdict: "accepted" };
}

export function markUsed(pass: TemporaryAccessPassRecord): void {
  if (pass.isUsableOnce) pass.usedDateTime = new Date().toISOString();
}
