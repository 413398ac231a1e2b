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
