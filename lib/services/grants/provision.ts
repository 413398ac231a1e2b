import { and, eq } from "drizzle-orm";
import { customers, entraConnections, grants, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { keyRing } from "@/lib/crypto/key-ring";
import { decryptSecret, encryptSecret } from "@/lib/crypto/envelope";
import { cloudConfig } from "@/lib/entra/clouds";
import { EntraError } from "@/lib/entra/errors";
import { graphFor, type Graph, type GraphUser } from "@/lib/entra/graph";
import { mailNicknameOf, STINT_EMPLOYEE_TYPE } from "@/lib/grants/naming";
import { generateJitPassword } from "@/lib/grants/password";
import { systemContext } from "@/lib/services/context";
import { isAlreadyExists, isNotFound, isPermanent, waitOutReplication } from "./graph-outcomes";
import { finishStep, getGrantInMsp, startStep, transitionGrant } from "./internal";
import { removeJitAccount } from "./remove-account";
import { scheduleExpiry } from "./schedule";

export const passwordContext = (grantId: string) => `grant:${grantId}:password`;

const GIVE_UP_AFTER_MS = 30 * 60_000;

type Outcome = { state: Grant["state"]; skipped?: boolean };

/** Runs one timeline step; its failure is recorded with Graph's reason and re-thrown. */
async function step<T>(grant: Grant, name: string, run: () => Promise<T>, describe?: (result: T) => string): Promise<T> {
  const id = await withMspTx(grant.mspId, (tx) => startStep(tx, grant, name));
  try {
    const result = await run();
    await withMspTx(grant.mspId, (tx) => finishStep(tx, grant.mspId, id, "succeeded", describe?.(result)));
    return result;
  } catch (err) {
    await withMspTx(grant.mspId, (tx) => finishStep(tx, grant.mspId, id, "failed", err instanceof Error ? err.message : String(err)));
    throw err;
  }
}

/** Is this existing Entra user the JIT account of this grant (and not somebody else's account)? */
function isOurs(user: GraphUser, grant: Grant): boolean {
  return user.employeeType === STINT_EMPLOYEE_TYPE && user.employeeId === grant.id;
}

async function findOurUser(graph: Graph, grant: Grant): Promise<GraphUser | null> {
  try {
    const user = await graph.getUser(grant.upn);
    if (!isOurs(user, grant)) {
      throw new EntraError(`${grant.upn} already exists in the tenant and was not created by Stint for this grant.`, "upn_taken", 409);
    }
    return user;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/**
 * Creates the JIT account, or finds the one an earlier attempt created: the UPN and the employeeId tag
 * come from the grant, and an ambiguous create is never repeated blind — the next attempt reads first.
 * The password is sealed on the grant before the create, so every attempt uses the same one.
 */
async function ensureUser(graph: Graph, grant: Grant, usageLocation: string): Promise<GraphUser> {
  const existing = await findOurUser(graph, grant);
  if (existing) return existing;
  let envelope = grant.passwordEnvelope;
  if (!envelope) {
    envelope = encryptSecret(keyRing(), generateJitPassword(), passwordContext(grant.id));
    await withMspTx(grant.mspId, (tx) => tx.update(grants).set({ passwordEnvelope: envelope, updatedAt: new Date() }).where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId))));
  }
  try {
    return await graph.createUser({
      accountEnabled: true,
      displayName: grant.displayName,
      mailNickname: mailNicknameOf(grant.upn),
      userPrincipalName: grant.upn,
      usageLocation,
      employeeId: grant.id,
      employeeType: STINT_EMPLOYEE_TYPE,
      passwordProfile: { password: decryptSecret(keyRing(), envelope, passwordContext(grant.id)), forceChangePasswordNextSignIn: false },
    });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    // "Already exists" after an answer we never got: our own create, not replicated yet. Read it back
    // through the lag; if it still cannot be read, retry later rather than call the UPN taken.
    const raced = await waitOutReplication(async () => {
      const user = await findOurUser(graph, grant);
      if (!user) throw new EntraError(`${grant.upn} exists but cannot be read yet.`, "not_replicated", 404);
      return user;
    }).catch((readErr) => {
      if (isNotFound(readErr)) throw new EntraError(`${grant.upn} exists but cannot be read yet; trying again later.`, "not_replicated");
      throw readErr;
    });
    return raced;
  }
}

/** Assigns every role of the grant that the user does not hold yet, in parallel, waiting out replication lag. */
async function ensureRoles(graph: Graph, grant: Grant, userId: string): Promise<string[]> {
  const held = new Set((await waitOutReplication(() => graph.listRoleAssignmentsOf(userId))).map((a) => a.roleDefinitionId));
  const missing = grant.roleTemplateIds.filter((r) => !held.has(r));
  await Promise.all(
    missing.map((roleId) =>
      waitOutReplication(() => graph.createRoleAssignment(userId, roleId)).catch(async (err) => {
        if (!isAlreadyExists(err)) throw err;
      }),
    ),
  );
  return missing;
}

/** Reads Graph back: the account is enabled and holds exactly the roles the grant asked for (at least). */
async function verifyAccount(graph: Graph, grant: Grant, userId: string): Promise<void> {
  const [user, assignments] = await Promise.all([
    waitOutReplication(() => graph.getUser(userId)),
    waitOutReplication(() => graph.listRoleAssignmentsOf(userId)),
  ]);
  const held = new Set(assignments.map((a) => a.roleDefinitionId));
  const absent = grant.roleTemplateIds.filter((r) => !held.has(r));
  if (!user.accountEnabled) throw new EntraError("The JIT account reads back as disabled.", "verify_failed");
  if (absent.length) throw new EntraError(`Graph does not show the roles ${absent.join(", ")} yet.`, "verify_failed");
}

/**
 * Job grant.provision: approved → provisioning → active. Safe to run twice or to resume after a crash
 * at any point. Permanent Graph refusals fail the grant at once (and clean up); transient ones are
 * re-thrown for BullMQ's retries, and fail the grant on the last attempt.
 */
export async function provisionGrant(mspId: string, grantId: string, options: { finalAttempt: boolean }): Promise<Outcome> {
  const ctx = systemContext(mspId, "grant.provision");
  const grant = await withMspTx(mspId, async (tx) => {
    const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    if (current.state !== "approved" || current.startAt.getTime() > Date.now()) return current;
    return transitionGrant(tx, ctx, current, "provisioning", {});
  });
  if (grant.state !== "provisioning") return { state: grant.state, skipped: true };
  // A grant still provisioning half an hour after its start gets no more chances: fail it and clean up.
  const finalAttempt = options.finalAttempt || Date.now() - grant.startAt.getTime() > GIVE_UP_AFTER_MS;

  try {
    const connection = await withMspTx(mspId, async (tx) => {
      const [row] = await tx
        .select()
        .from(entraConnections)
        .where(and(eq(entraConnections.customerId, grant.customerId), eq(entraConnections.mspId, mspId), eq(entraConnections.status, "connected")));
      return row;
    });
    if (!connection || connection.tenantId !== grant.entraTenantId) {
      throw new EntraError("The customer's Entra ID is no longer connected to the tenant this grant was made for.", "not_connected", 409);
    }
    const customerUsage = await withMspTx(mspId, async (tx) => {
      const [c] = await tx.select({ usageLocation: customers.usageLocation }).from(customers).where(and(eq(customers.id, grant.customerId), eq(customers.mspId, mspId)));
      return c?.usageLocation ?? "US";
    });
    const graph = graphFor(cloudConfig(connection.cloud), grant.entraTenantId);
    const user = await step(grant, "create_user", () => ensureUser(graph, grant, customerUsage), (u) => `${u.userPrincipalName} (${u.id})`);
    await withMspTx(mspId, (tx) => tx.update(grants).set({ entraUserId: user.id, updatedAt: new Date() }).where(and(eq(grants.id, grant.id), eq(grants.mspId, mspId))));
    await step(grant, "assign_roles", () => ensureRoles(graph, grant, user.id), (added) => `${grant.roleTemplateIds.length} role(s); ${added.length} assigned now`);
    await step(grant, "verify", () => verifyAccount(graph, grant, user.id), () => "account enabled with every role");
    const active = await withMspTx(mspId, async (tx) => {
      const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
      if (current.state !== "provisioning") return current;
      const now = new Date();
      if (current.endReason) {
        return transitionGrant(tx, ctx, current, "expiring", { entraUserId: user.id, usableFrom: now, expiryStartedAt: now });
      }
      return transitionGrant(tx, ctx, current, "active", {
        entraUserId: user.id,
        usableFrom: now,
        endsAt: new Date(now.getTime() + (current.durationMinutes + current.extendedMinutes) * 60_000),
      });
    });
    if (active.state === "active") await scheduleExpiry(active);
    // Ended while provisioning: the expiry job takes the fresh account away at once.
    if (active.state === "expiring") await scheduleExpiry(active, { now: true });
    return { state: active.state };
  } catch (err) {
    if (!isPermanent(err) && !finalAttempt) throw err;
    return failGrant(mspId, grantId, err);
  }
}

/** Ends a grant that could not be provisioned, with Graph's reason in words, and removes what was made. */
async function failGrant(mspId: string, grantId: string, cause: unknown): Promise<Outcome> {
  const ctx = systemContext(mspId, "grant.provision");
  const reason = cause instanceof Error ? cause.message : String(cause);
  const grant = await withMspTx(mspId, (tx) => getGrantInMsp(tx, mspId, grantId));
  const cleanup = await removeJitAccount(grant).then(
    () => null,
    (err: unknown) => `Cleanup failed (${err instanceof Error ? err.message : String(err)}); the orphan scan will disable the account.`,
  );
  const failed = await withMspTx(mspId, async (tx) => {
    const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    if (current.state !== "provisioning") return current;
    return transitionGrant(tx, ctx, current, "failed", { failureReason: cleanup ? `${reason} ${cleanup}` : reason, passwordEnvelope: null }, { result: "failure", reason });
  });
  return { state: failed.state };
}
