import { and, count, eq } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { customers, entraConnections, grantSteps, grants, type EntraConnection, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { cloudConfig } from "@/lib/entra/clouds";
import { EntraError } from "@/lib/entra/errors";
import { graphFor, type Graph, type GraphUser } from "@/lib/entra/graph";
import { readTapPolicy } from "@/lib/entra/read-tap-policy";
import type { TapPolicy } from "@/lib/vocabulary/tap-policy";
import { mailNicknameOf, STINT_EMPLOYEE_TYPE } from "@/lib/grants/naming";
import { generateJitPassword } from "@/lib/grants/password";
import { budgetSpent, retryBudgets, retryDelayMs } from "@/lib/grants/retry-budget";
import { RetryLater } from "@/lib/queue/retry-later";
import { checkConnectionSoon } from "@/lib/services/connections/check-soon";
import { completePendingDisconnect, disconnectPending } from "@/lib/services/connections/complete-disconnect";
import type { SystemContext } from "@/lib/services/context";
import { authorizeGrant } from "@/lib/services/hooks/authorize";
import { trackAssignments } from "./assignment-ids";
import { sealPassword, unsealPassword } from "./credential";
import { lapsedAtStart } from "./entitlement";
import { getGrantInMsp } from "./grant-row";
import { isAlreadyExists, isNotFound, isPermanent, sendAgainIfLost, waitOutReplication } from "./graph-outcomes";
import { issueTap, storeTap, type IssuedPass } from "./issue-tap";
import { directRun, noLease, releaseLease, takeLease, underLease, type GrantRun } from "./lease";
import { scheduleExpiry, scheduleTapRenewal } from "./schedule";
import { settled } from "./settled";
import { advanceStep, finishStep, inStep, startStep } from "./steps";
import { transitionGrant } from "./transition";

type Outcome = { state: Grant["state"]; skipped?: boolean };

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
  const password = await passwordFor(grant);
  try {
    const user = await sendAgainIfLost(() =>
      graph.createUser({
        accountEnabled: true,
        displayName: grant.displayName,
        mailNickname: mailNicknameOf(grant.upn),
        userPrincipalName: grant.upn,
        usageLocation,
        employeeId: grant.id,
        employeeType: STINT_EMPLOYEE_TYPE,
        passwordProfile: { password, forceChangePasswordNextSignIn: false },
      }),
    );
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
 * Assigns every role of the grant, in parallel, waiting out replication lag, and keeps the id of every
 * assignment made, even when another fails: clean-up removes them by id, since Graph's lists may not show a
 * fresh assignment yet. Only once every create has settled is a failure passed on, so none lands after
 * clean-up has begun. An account this job has just created holds no role, so its assignments are not listed
 * first; one found from an earlier attempt may hold some already.
 */
async function ensureRoles(graph: Graph, grant: Grant, account: Account): Promise<{ added: string[]; assignmentIds: string[] }> {
  const held = account.createdNow ? new Set<string>() : new Set((await waitOutReplication(() => graph.listRoleAssignmentsOf(account.user.id))).map((a) => a.roleDefinitionId));
  const missing = grant.roleTemplateIds.filter((r) => !held.has(r));
  const results = await Promise.allSettled(
    missing.map((roleId) =>
      waitOutReplication(() => sendAgainIfLost(() => graph.createRoleAssignment(account.user.id, roleId))).then(
        (assignment) => assignment.id,
        (err: unknown) => {
          if (!isAlreadyExists(err)) throw err;
          return null;
        },
      ),
    ),
  );
  const assignmentIds = results.flatMap((r) => (r.status === "fulfilled" && r.value ? [r.value] : []));
  const failed = results.find((r) => r.status === "rejected");
  if (failed) {
    await trackAssignments(grant, assignmentIds);
    throw failed.reason;
  }
  return { added: missing, assignmentIds };
}

/**
 * Reads Graph back: the account is enabled, holds the roles the grant asked for, and its pass is usable. Fresh
 * assignments and passes may be missing from Graph's lists for a while, so their absence is waited out like a
 * "not found"; a disabled account is not.
 */
async function verifyAccount(graph: Graph, grant: Grant, userId: string, tapMethodId: string | null): Promise<void> {
  const shown = async () => {
    const [assignments, passes] = await Promise.all([graph.listRoleAssignmentsOf(userId), tapMethodId ? graph.listTemporaryAccessPasses(userId) : Promise.resolve([])]);
    const held = new Set(assignments.map((a) => a.roleDefinitionId));
    const absent = grant.roleTemplateIds.filter((r) => !held.has(r));
    if (absent.length) throw new EntraError(`Graph does not show the roles ${absent.join(", ")} yet.`, "not_replicated", 404);
    if (tapMethodId && !passes.some((p) => p.id === tapMethodId && p.isUsable)) {
      throw new EntraError("Graph does not show the account's Temporary Access Pass as usable yet.", "not_replicated", 404);
    }
  };
  const [user] = await Promise.all([waitOutReplication(() => graph.getUser(userId)), waitOutReplication(shown)]);
  if (!user.accountEnabled) throw new EntraError("The JIT account reads back as disabled.", "verify_failed");
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
export async function provisionGrant(ctx: SystemContext, grantId: string, job: GrantRun): Promise<Outcome> {
  const mspId = ctx.mspId;
  const holder = job.runId ?? directRun();
  // The policy's authorize hooks have the last word before anything is made in the tenant.
  const authorized = await authorizeGrant(ctx, grantId, holder);
  if (authorized === "denied") return { state: "denied" };
  if (authorized === "busy") return { state: "approved", skipped: true };
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
    // Another run is at work on it (a re-queue raced a live job): that run finishes it.
    if (!(await takeLease(tx, current, holder))) return { grant: current, leased: true };
    const grant = due ? await transitionGrant(tx, ctx, current, "provisioning", {}) : current;
    return { grant, tenant: await tenantOf(tx, grant), stepId: await startStep(tx, grant, "create_user") };
  });
  const grant = begun.grant;
  if (begun.revokedAtStart) {
    // A disconnect of the tenant may have been waiting for this grant.
    if (grant.endReason === "tenant_disconnected") await completePendingDisconnect(ctx, grant.customerId);
    return { state: grant.state };
  }
  if (begun.leased || grant.state !== "provisioning") return { state: grant.state, skipped: true };

  try {
    return await underLease(grant, holder, () => provisionAccount(ctx, grant, begun.stepId!, begun.tenant ?? null));
  } catch (err) {
    // A token refused: the connection's health is checked now, so the console and new requests know at once.
    if (err instanceof EntraError && err.entraCode.startsWith("AADSTS")) await checkConnectionSoon(mspId, grant.customerId);
    // A grant still provisioning when its budget is spent gets no more chances: it fails and what was made goes.
    if (job.finalAttempt || isPermanent(err) || budgetSpent(retryBudgets.provision, grant.startAt)) return failGrant(ctx, grantId, err);
    const delayMs = retryDelayMs(retryBudgets.provision, job.attempt ?? 1, err instanceof EntraError ? err.retryAfterMs : null);
    await releaseLease(grant, holder, delayMs);
    throw new RetryLater(delayMs, err);
  }
}

/** One attempt's work, from the account to its verified roles and pass; resumes what an earlier attempt made. */
async function provisionAccount(ctx: SystemContext, grant: Grant, firstStepId: string, tenant: Tenant | null): Promise<Outcome> {
  const mspId = grant.mspId;
  const grantId = grant.id;
  let stepId = firstStepId;
  const { connection, usageLocation } = await inStep(grant, stepId, () => connected(tenant));
  const graph = graphFor(cloudConfig(connection.cloud), grant.entraTenantId);
  const withPass = grant.signInMethod === "tap";
  // The pass policy is read fresh, alongside the create: its lifetimes decide the pass's, at no extra wait.
  const [account, policy] = await inStep(grant, stepId, () => settled(createOrFindUser(graph, grant, usageLocation), withPass ? readTapPolicy(graph) : Promise.resolve(null)));
  const created = { id: stepId, detail: `${account.user.userPrincipalName} (${account.user.id})${account.createdNow ? "" : ", found from an earlier attempt"}` };
  // Stored beside the next Graph call: a retry before it lands finds the account by its UPN and tag.
  const afterCreate = advanceStep(grant, created, withPass ? "issue_tap" : "assign_roles", async (tx) => {
    await tx.update(grants).set({ entraUserId: account.user.id, updatedAt: new Date() }).where(and(eq(grants.id, grant.id), eq(grants.mspId, mspId)));
    if (policy && !samePolicy(policy, connection.tapPolicy)) await storePolicy(tx, connection, policy);
  });
  let pass: IssuedPass | null = null;
  if (withPass) {
    // Issued while the account holds no admin role yet, and stored before the roles are assigned.
    const issued = await inStep(grant, afterCreate, () => issueTap(graph, grant, account.user.id, policy, { minutes: grant.durationMinutes + grant.extendedMinutes, reuse: true }));
    pass = issued;
    stepId = await advanceStep(grant, { id: await afterCreate, detail: describePass(issued) }, "assign_roles", (tx) => storeTap(tx, grant, issued));
  } else {
    stepId = await afterCreate;
  }
  const { added, assignmentIds } = await inStep(grant, stepId, () => ensureRoles(graph, grant, account));
  const verifying = advanceStep(grant, { id: stepId, detail: `${grant.roleTemplateIds.length} role(s); ${added.length} assigned now` }, "verify", (tx) => trackAssignments(grant, assignmentIds, tx));
  await inStep(grant, verifying, () => verifyAccount(graph, grant, account.user.id, pass?.methodId ?? null));
  stepId = await verifying;
  const verified = { id: stepId, detail: pass ? "account enabled with every role and a usable pass" : "account enabled with every role" };
  const active = await withMspTx(mspId, async (tx) => {
    await finishStep(tx, mspId, verified.id, "succeeded", verified.detail);
    const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    if (current.state !== "provisioning") return current;
    const now = new Date();
    if (current.endReason) {
      return transitionGrant(tx, ctx, current, "expiring", { entraUserId: account.user.id, usableFrom: now, expiryStartedAt: now, ...noLease });
    }
    return transitionGrant(tx, ctx, current, "active", {
      entraUserId: account.user.id,
      usableFrom: now,
      endsAt: new Date(now.getTime() + (current.durationMinutes + current.extendedMinutes) * 60_000),
      ...noLease,
    });
  });
  if (active.state === "active") {
    await scheduleExpiry(active);
    await scheduleTapRenewal(active);
  }
  // Ended while provisioning: the expiry job takes the fresh account away at once.
  if (active.state === "expiring") await scheduleExpiry(active, { now: true });
  return { state: active.state };
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

/**
 * Ends a grant that could not be provisioned, with Microsoft's reason in words. When Graph may hold anything of
 * it (an account, a role, a pass), the grant goes through expiry, which takes all of it away and proves it as
 * at any end, with the same retries and alarm, and then ends the grant failed. Only a grant refused before
 * anything could be written fails at once.
 */
async function failGrant(ctx: SystemContext, grantId: string, cause: unknown): Promise<Outcome> {
  const mspId = ctx.mspId;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const { grant, pending } = await withMspTx(mspId, async (tx) => {
    const current = await getGrantInMsp(tx, mspId, grantId, { lock: true });
    if (current.state !== "provisioning") return { grant: current, pending: false };
    if (await nothingMade(tx, current, cause)) {
      const failed = await transitionGrant(tx, ctx, current, "failed", { failureReason: reason, passwordEnvelope: null, tapEnvelope: null, ...noLease }, { result: "failure", reason });
      return { grant: failed, pending: await disconnectPending(tx, mspId, current.customerId) };
    }
    const patch = { endReason: "provisioning_failed" as const, failureReason: reason, expiryStartedAt: new Date(), ...noLease };
    return { grant: await transitionGrant(tx, ctx, current, "expiring", patch, { result: "failure", reason }), pending: false };
  });
  if (grant.state === "expiring") await scheduleExpiry(grant, { now: true });
  if (pending) await completePendingDisconnect(ctx, grant.customerId);
  return { state: grant.state };
}

/** Refusals that come before any write to the tenant: no token, no connection, or the UPN held by someone else's account. */
function refusedBeforeWriting(err: unknown): boolean {
  if (!(err instanceof EntraError)) return false;
  return err.entraCode.startsWith("AADSTS") || ["no_token", "not_connected", "missing_permissions", "upn_taken"].includes(err.entraCode);
}

/** Nothing of the grant can be in Graph: none known, and its one and only attempt was refused before writing. */
async function nothingMade(tx: Tx, grant: Grant, cause: unknown): Promise<boolean> {
  if (grant.entraUserId || grant.roleAssignmentIds.length || !refusedBeforeWriting(cause)) return false;
  const [attempts] = await tx
    .select({ n: count() })
    .from(grantSteps)
    .where(and(eq(grantSteps.grantId, grant.id), eq(grantSteps.mspId, grant.mspId), eq(grantSteps.step, "create_user")));
  return (attempts?.n ?? 0) <= 1;
}
