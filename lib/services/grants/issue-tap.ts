import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grants, type Grant } from "@/db/schema";
import { EntraError } from "@/lib/entra/errors";
import type { Graph } from "@/lib/entra/graph";
import { tapLifetimeMinutes } from "@/lib/entra/tap-policy";
import type { TapPolicy } from "@/lib/vocabulary/tap-policy";
import { sealTap } from "./credential";
import { sendAgainIfLost, waitOutReplication } from "./graph-outcomes";

/** A pass outlives the grant's planned end by this much, so it never lapses first; expiry removes it. */
const PASS_SLACK_MINUTES = 5;

export type IssuedPass = {
  methodId: string;
  expiresAt: Date;
  lifetimeMinutes: number;
  /** A pass an earlier attempt issued and sealed; nothing new to store. */
  reused: boolean;
  /** The new pass, sealed for the grant (null when reused). */
  envelope: string | null;
};

const POLICY_FIX =
  "A tenant admin enables the Temporary Access Pass for All users (Entra admin center → Protection → Authentication methods → Policies → Temporary Access Pass), or an MSP admin switches this customer to password-only sign-in.";

/** Graph's refusals of a pass, in words with what to change; anything else passes through unchanged. */
function explained(err: unknown): unknown {
  if (!(err instanceof EntraError)) return err;
  if (err.httpStatus === 400 && /UserCredentialPolicy/i.test(err.message)) {
    return new EntraError(`The tenant's Temporary Access Pass policy does not allow a pass for this account (Microsoft: "${err.message}"). ${POLICY_FIX}`, "tap_refused", 400, err);
  }
  if (err.httpStatus === 403) {
    return new EntraError(
      `Microsoft refused to issue a Temporary Access Pass (${err.message}). Stint needs UserAuthMethod-TAP.ReadWrite.All in this tenant: reconnect the customer, or switch it to password-only sign-in.`,
      "tap_forbidden",
      403,
      err,
    );
  }
  return err;
}

/**
 * Issues the grant's Temporary Access Pass, sealed for the grant; the caller stores it (storeTap) before
 * doing anything else. Graph keeps one pass per user and a new one replaces the last, so a retry after a
 * lost answer still leaves exactly one usable pass: the one stored last. With `reuse`, a stored pass that
 * Graph still shows usable is kept (a provisioning attempt resumed after a crash). The lifetime covers
 * `minutes` more of the grant, within the tenant's policy; a one-time-only policy gets a one-time pass,
 * the only kind it allows.
 */
export async function issueTap(
  graph: Graph,
  grant: Pick<Grant, "id" | "mspId" | "tapMethodId" | "tapEnvelope" | "tapExpiresAt">,
  userId: string,
  policy: TapPolicy | null,
  options: { minutes: number; reuse: boolean },
): Promise<IssuedPass> {
  if (options.reuse && grant.tapMethodId && grant.tapEnvelope && grant.tapExpiresAt) {
    const sealedId = grant.tapMethodId;
    const passes = await waitOutReplication(() => graph.listTemporaryAccessPasses(userId));
    if (passes.some((p) => p.id === sealedId && p.isUsable)) {
      return { methodId: sealedId, expiresAt: grant.tapExpiresAt, lifetimeMinutes: 0, reused: true, envelope: null };
    }
  }
  const lifetimeMinutes = tapLifetimeMinutes(options.minutes + PASS_SLACK_MINUTES, policy);
  const pass = { lifetimeInMinutes: lifetimeMinutes, isUsableOnce: policy?.isUsableOnce ?? false };
  const created = await waitOutReplication(() => sendAgainIfLost(() => graph.createTemporaryAccessPass(userId, pass))).catch(
    (err: unknown) => {
      throw explained(err);
    },
  );
  if (!created.temporaryAccessPass) throw new EntraError("Graph created a Temporary Access Pass but did not return it.", "tap_missing");
  const start = Date.parse(created.startDateTime ?? created.createdDateTime);
  const expiresAt = new Date((Number.isNaN(start) ? Date.now() : start) + created.lifetimeInMinutes * 60_000);
  return { methodId: created.id, expiresAt, lifetimeMinutes: created.lifetimeInMinutes, reused: false, envelope: sealTap(grant.id, created.temporaryAccessPass) };
}

/** Stores a newly issued pass on its grant: the one the extension and reveal hand out from now on. */
export async function storeTap(tx: Tx, grant: Pick<Grant, "id" | "mspId">, pass: IssuedPass): Promise<void> {
  if (!pass.envelope) return;
  await tx
    .update(grants)
    .set({ tapEnvelope: pass.envelope, tapMethodId: pass.methodId, tapExpiresAt: pass.expiresAt, tapRenewalError: null, updatedAt: new Date() })
    .where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId)));
}
