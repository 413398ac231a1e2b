import { and, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { customers, entraConnections, grants, type EntraConnection, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig } from "@/lib/entra/clouds";
import { EntraError } from "@/lib/entra/errors";
import { graphFor, type Graph, type GraphUser } from "@/lib/entra/graph";
import { readTapPolicy } from "@/lib/entra/read-tap-policy";
import type { TapPolicy } from "@/lib/entra/tap-policy";
import { mailNicknameOf, STINT_EMPLOYEE_TYPE } from "@/lib/grants/naming";
import { generateJitPassword } from "@/lib/grants/password";
import { completePendingDisconnect, disconnectPending } from "@/lib/services/connections/complete-disconnect";
import { systemContext } from "@/lib/services/context";
import { sealPassword, unsealPassword } from "./credential";
import { lapsedAtStart } from "./entitlement";
import { isAlreadyExists, isNotFound, isPermanent, waitOutReplication } from "./graph-outcomes";
import { advanceStep, finishStep, getGrantInMsp, startStep, transitionGrant } from "./internal";
import { issueTap, storeTap, type IssuedPass } from "./issue-tap";
import { removeJitAccount } from "./remove-account";
import { scheduleExpiry, scheduleTapRenewal } from "./schedule";

const GIVE_UP_AFTER_MS = 30 * 60_000;

type Outcome = { state: Grant["state"]; skipped?: boolean };

/**
 * Runs the work of one timeline step (its id may still be on its way: bookkeeping runs beside Graph calls
 * where order does not matter); a failure closes the step with Graph's reason and is re-thrown.
 */
async function run<T>(grant: Pick<Grant, "id" | "mspId">, stepId: string | Promise<string>, work: () => Promise<T>): Promise<T> {
  try {
    const [, result] = await settled(Promise.resolve(stepId), work());
    return result;
  } catch (err) {
    const id = await stepId;
    await withMspTx(grant.mspId, (tx) => finishStep(tx, grant.mspId, id, "failed", err instanceof Error ? err.message : String(err)));
    throw err;
  }
}

/** In one transaction: what the finished step produced is stored, the step closed, the next one opened. */
async function advance(grant: Pick<Grant, "id" | "mspId">, finished: { id: string; detail: string }, next: string, store?: (tx: Tx) => Promise<void>): Promise<string> {
  return withMspTx(grant.mspId, async (tx) => {
    await store?.(tx);
    return advanceStep(tx, grant, finished, next);
  });
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
 * The password the account is created with. A password grant's is sealed on the grant before the create,
 * so every attempt sets the same one; a pass grant's account gets a long password nobody keeps.
 */
async function passwordFor(grant: Grant): Promise<string> {
  if (grant.signInMethod !== "password") return generateJitPassword(32);
  if (grant.passwordEnvelope) return unsealPassword({ id: grant.id, passwordEnvelope: grant.passwordEnvelope });
  const password = generateJitPassword();
  await withMspTx(grant.mspId, (tx) =>
    tx.update(grants).set({ passwordEnvelope: sealPassword(grant.id, password), updatedAt: new Date() }).where(and(eq(grants.id, grant.id), eq(grants.mspId, grant.mspId))),
  );
  return password;
}

type Account = { user: GraphUser; createdNow: boolean };

/**
 * Creates the JIT account in one round trip, or takes the one an earlier attempt made: the UPN and the
 * employeeId tag come from the grant, so when Entra answers that the UPN exists (an earlier create whose
 * answer was lost), that account is read back through replication lag and taken only if it carries this
 * grant's tag. An ambiguous create is never repeated blind.
 */
async function createOrFindUser(graph: Graph, grant: Grant, usageLocation: string): Promise<Account> {
  if (grant.entraUserId) {
    const id = grant.entraUserId;
    return { user: await waitOutReplication(() => graph.getUser(id)), createdNow: false };
  }
  try {
    const user = await graph.createUser({
      accountEnabled: true,
      displayName: grant.displayName,
      mailNickname: mailNicknameOf(grant.upn),
      userPrincipalName: grant.upn,
      usageLocation,
      employeeId: grant.id,
      employeeType: STINT_EMPLOYEE_TYPE,
      passwordProfile: { password: await passwordFor(grant), forceChangePasswordNextSignIn: false },
    });
    return { user, createdNow: true };
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    const user = await waitOutReplication(async () => {
      const found = await findOurUser(graph, grant);
      if (!found) throw new EntraError(`${grant.upn} exists but cannot be read yet.`, "not_replicated", 404);
      return found;
    }).catch((readErr) => {
      if (isNotFound(readErr)) throw new EntraError(`${grant.upn} exists but cannot be read yet; trying again later.`, "not_replicated");
      throw readErr;
    });
    return { user, createdNow: false };
  }
}

/**
 * Assigns every role of the grant, in parallel, waiting out replication lag. An account this job has just
 * created holds no role, so its assignments are not listed first; one found from an earlier attempt may
 * hold some already.
 */
async function ensureRoles(graph: Graph, grant: Grant, account: Account): Promise<string[]> {
  const held = account.createdNow ? new Set<string>() : new Set((await waitOutReplication(() => graph.listRoleAssignmentsOf(account.user.id))).map((a) => a.roleDefinitionId));
  const missing = grant.roleTemplateIds.filter((r) => !held.has(r));
  await Promise.all(
    missing.map((roleId) =>
      waitOutReplication(() => graph.createRoleAssignment(account.user.id, roleId)).catch(async (err) => {
        if (!isAlreadyExists(err)) throw err;
      }),
    ),
  );
  return missing;
}

/** Reads Graph back: the account is enabled, holds the roles the grant asked for, and its pass is usable. */
async function verifyAccount(graph: Graph, grant: Grant, userId: string, tapMethodId: string | null): Promise<void> {
  const [user, assignments, passes] = await Promise.all([
    waitOutReplication(() => graph.getUser(userId)),
    waitOutReplication(() => graph.listRoleAssignmentsOf(userId)),
    tapMethodId ? waitOutReplication(() => graph.listTemporaryAccessPasses(userId)) : Promise.resolve([]),
  ]);
  const held = new Set(assignments.map((a) => a.roleDefinitionId));
  const absent = grant.roleTemplateIds.filter((r) => !held.has(r));
  if (!user.accountEnabled) throw new EntraError("The JIT account reads back as disabled.", "verify_failed");
  if (absent.length) throw new EntraError(`Graph does not show the roles ${absent.join(", ")} yet.`, "verify_failed");
  if (tapMethodId && !passes.some((p) => p.id === tapMethodId && p.isUsable)) {
    throw new EntraError("Graph does not show the account's Temporary Access Pass as usable.", "verify_failed");
  }
}

/** Waits for both; the first failure wins, but only once neither call is still in flight. */
async function settled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === "rejected") throw ra.reason;
  if (rb.status === "rejected") throw rb.reason;
  return [ra.value, rb.value];
}

type Tenant = { connection: EntraConnection; usageLocation: string };

/** The customer's live connection to the grant's tenant, and its usage location; null when it is gone or changed. */
async function tenantOf(tx: Tx, grant: Grant): Promise<Tenant | null> {
  const [row] = await tx
    .select({ connection: entraConnections, usageLocation: customers.usageLocation })
    .from(entraConnections)
    .innerJoin(customers, and(eq(customers.id, entraConnections.customerId), eq(customers.mspId, entraConnections.mspId)))
    .where(and(eq(entraConnections.customerId, grant.customerId), eq(entraConnections.mspId, grant.mspId), eq(entraConnections.status, "connected")));
  return row && row.connection.tenantId === grant.entraTenantId ? row : null;
}

async function connected(tenant: Tenant | null): Promise<Tenant> {
  if (!tenant) throw new EntraError("The customer's Entra ID is no longer connected to the tenant this grant was made for.", "not_connected", 409);
  return tenant;
}

/**
 * Job grant.provision: approved → provisioning → active. The account is created, then its Temporary
 * Access Pass (while it holds no role yet), then its roles; each is read back. Safe to run twice or to
 * resume after a crash at any point. Permanent Graph refusals fail the grant at once (and clean up);
 * transient ones are re-thrown for BullMQ's retries, and fail the grant on the last attempt.
 */
export async function provisionGrant(mspId: string, grantId: string, options: { finalAttempt: boolean }): Promise<Outcome> {
  const ctx = systemContext(mspId, "grant.provision");
  // The move to provisioning, the tenant and the first step in one transaction: the first Graph call waits on one.
  const begun = await withMspTx(mspId, async (tx) => {
    const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    const due = current.state === "approved" && current.startAt.getTime() <= Date.now();
    // A grant already provisioning is an attempt resumed after a failed or crashed one.
    if (!due && current.state !== "provisioning") return { grant: current };
    // A grant starts only if today's policy still allows it (it may have been scheduled days ago); otherwise it is
    // revoked here, before any Graph call.
    const lapsed = due ? await lapsedAtStart(tx, current) : null;
    if (lapsed) {
      const revoked = await transitionGrant(tx, ctx, current, "revoked", { endReason: lapsed.reason, usableTo: new Date() }, { reason: lapsed.message, metadata: { endReason: lapsed.reason } });
      return { grant: revoked, revokedAtStart: true };
    }
    const grant = due ? await transitionGrant(tx, ctx, current, "provisioning", {}) : current;
    return { grant, tenant: await tenantOf(tx, grant), stepId: await startStep(tx, grant, "create_user") };
  });
  const grant = begun.grant;
  if (begun.revokedAtStart) {
    // A disconnect of the tenant may have been waiting for this grant.
    if (grant.endReason === "tenant_disconnected") await completePendingDisconnect(mspId, grant.customerId);
    return { state: grant.state };
  }
  if (grant.state !== "provisioning") return { state: grant.state, skipped: true };
  // A grant still provisioning half an hour after its start gets no more chances: fail it and clean up.
  const finalAttempt = options.finalAttempt || Date.now() - grant.startAt.getTime() > GIVE_UP_AFTER_MS;

  try {
    let stepId = begun.stepId!;
    const { connection, usageLocation } = await run(grant, stepId, () => connected(begun.tenant ?? null));
    const graph = graphFor(cloudConfig(connection.cloud), grant.entraTenantId);
    const withPass = grant.signInMethod === "tap";
    // The pass policy is read fresh, alongside the create: its lifetimes decide the pass's, at no extra wait.
    const [account, policy] = await run(grant, stepId, () => settled(createOrFindUser(graph, grant, usageLocation), withPass ? readTapPolicy(graph) : Promise.resolve(null)));
    const created = { id: stepId, detail: `${account.user.userPrincipalName} (${account.user.id})${account.createdNow ? "" : ", found from an earlier attempt"}` };
    // Stored beside the next Graph call: a retry before it lands finds the account by its UPN and tag.
    const afterCreate = advance(grant, created, withPass ? "issue_tap" : "assign_roles", async (tx) => {
      await tx.update(grants).set({ entraUserId: account.user.id, updatedAt: new Date() }).where(and(eq(grants.id, grant.id), eq(grants.mspId, mspId)));
      if (policy && !samePolicy(policy, connection.tapPolicy)) await storePolicy(tx, connection, policy);
    });
    let pass: IssuedPass | null = null;
    if (withPass) {
      // Issued while the account holds no admin role yet, and stored before the roles are assigned.
      const issued = await run(grant, afterCreate, () => issueTap(graph, grant, account.user.id, policy, { minutes: grant.durationMinutes + grant.extendedMinutes, reuse: true }));
      pass = issued;
      stepId = await advance(grant, { id: await afterCreate, detail: describePass(issued) }, "assign_roles", (tx) => storeTap(tx, grant, issued));
    } else {
      stepId = await afterCreate;
    }
    const added = await run(grant, stepId, () => ensureRoles(graph, grant, account));
    const verifying = advance(grant, { id: stepId, detail: `${grant.roleTemplateIds.length} role(s); ${added.length} assigned now` }, "verify");
    await run(grant, verifying, () => verifyAccount(graph, grant, account.user.id, pass?.methodId ?? null));
    stepId = await verifying;
    const verified = { id: stepId, detail: pass ? "account enabled with every role and a usable pass" : "account enabled with every role" };
    const active = await withMspTx(mspId, async (tx) => {
      await finishStep(tx, mspId, verified.id, "succeeded", verified.detail);
      const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
      if (current.state !== "provisioning") return current;
      const now = new Date();
      if (current.endReason) {
        return transitionGrant(tx, ctx, current, "expiring", { entraUserId: account.user.id, usableFrom: now, expiryStartedAt: now });
      }
      return transitionGrant(tx, ctx, current, "active", {
        entraUserId: account.user.id,
        usableFrom: now,
        endsAt: new Date(now.getTime() + (current.durationMinutes + current.extendedMinutes) * 60_000),
      });
    });
    if (active.state === "active") {
      await scheduleExpiry(active);
      await scheduleTapRenewal(active);
    }
    // Ended while provisioning: the expiry job takes the fresh account away at once.
    if (active.state === "expiring") await scheduleExpiry(active, { now: true });
    return { state: active.state };
  } catch (err) {
    if (!isPermanent(err) && !finalAttempt) throw err;
    return failGrant(mspId, grantId, err);
  }
}

function describePass(pass: IssuedPass): string {
  return pass.reused ? `pass from an earlier attempt, usable until ${pass.expiresAt.toISOString()}` : `pass issued for ${pass.lifetimeMinutes} min, until ${pass.expiresAt.toISOString()}`;
}

function samePolicy(a: TapPolicy, b: TapPolicy | null): boolean {
  return b !== null && JSON.stringify(a) === JSON.stringify({ ...a, ...b });
}

/** The policy just read is the connection's newest knowledge of it. */
async function storePolicy(tx: Tx, connection: EntraConnection, policy: TapPolicy) {
  await tx
    .update(entraConnections)
    .set({ tapPolicy: policy, tapPolicyReadAt: new Date() })
    .where(and(eq(entraConnections.id, connection.id), eq(entraConnections.mspId, connection.mspId)));
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
  const { failed, pending } = await withMspTx(mspId, async (tx) => {
    const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    if (current.state !== "provisioning") return { failed: current, pending: false };
    const failed = await transitionGrant(
      tx,
      ctx,
      current,
      "failed",
      { failureReason: cleanup ? `${reason} ${cleanup}` : reason, passwordEnvelope: null, tapEnvelope: null },
      { result: "failure", reason },
    );
    return { failed, pending: await disconnectPending(tx, mspId, current.customerId) };
  });
  if (pending) await completePendingDisconnect(mspId, failed.customerId);
  return { state: failed.state };
}
