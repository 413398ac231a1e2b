import { setTimeout as sleep } from "node:timers/promises";
import { EntraError } from "@/lib/entra/errors";
import type { Graph } from "@/lib/entra/graph";
import type { ExpiryAction } from "@/lib/vocabulary/expiry-actions";
import { generateJitPassword } from "@/lib/grants/password";
import { isNotFound, mayBeLag, sendAgainIfLost } from "./graph-outcomes";

/** How long remove_roles waits, within one attempt, for removals Graph still lists to replicate. */
const REMOVAL_WAIT_MS = 15_000;

/** Graph's directory timestamps have whole seconds; allow for that when comparing. */
const notBefore = (iso: unknown, since: Date) => typeof iso === "string" && Date.parse(iso) >= Math.floor(since.getTime() / 1000) * 1000;

const ignoreNotFound = (err: unknown) => {
  if (!isNotFound(err)) throw err;
};

/**
 * What Stint made for the account: role assignments by id (Graph's lists may not show a fresh one yet), its
 * Temporary Access Pass by id, when the account was made (a "not found" soon after may be lag), and how to forget
 * an assignment once removed. What is known by id is removed at once, before any list is read.
 */
export type MadeForAccount = {
  roleAssignmentIds: string[];
  tapMethodId?: string | null;
  madeAt: Date | null;
  forget?: (assignmentIds: string[]) => Promise<void>;
};
const nothingKnown: MadeForAccount = { roleAssignmentIds: [], madeAt: null };

/** `onSent`: called once Graph has accepted the action's changes, before they are proven by reading back. */
export type ActionProgress = { onSent?: () => void };

/**
 * Each expiry action does its change and then proves it by reading Graph back. A user that no longer
 * exists satisfies every action. Each is safe to run again.
 */
export const runExpiryAction: Record<ExpiryAction, (graph: Graph, userId: string, made?: MadeForAccount, progress?: ActionProgress) => Promise<string>> = {
  async remove_roles(graph, userId, made = nothingKnown, progress = {}) {
    const removed = new Set<string>();
    const deleteOne = (id: string) =>
      graph.deleteRoleAssignment(id).then(
        () => id,
        (err: unknown) => {
          // A fresh assignment Stint made may not be found yet: try again later rather than take it for gone. One
          // that a list showed and a delete cannot find is gone (its removal has not replicated to that list).
          if (made.roleAssignmentIds.includes(id) && mayBeLag(err, made.madeAt)) {
            throw new EntraError(`Graph cannot find role assignment ${id} yet.`, "not_replicated", 404, err);
          }
          ignoreNotFound(err);
          return id;
        },
      );
    const deadline = Date.now() + REMOVAL_WAIT_MS;
    // The first round removes what Stint made without reading a list first; every later one reads what is left.
    // Looked at again at most a second apart: removals replicate within seconds, and every second past that
    // is a second the grant waits to be proven ended.
    for (let wait = 250, round = 0; ; wait = Math.min(wait * 2, 1_000), round++) {
      const listed = round === 0 && made.roleAssignmentIds.length ? [] : (await graph.listRoleAssignmentsOf(userId)).map((a) => a.id);
      const pending = [...new Set([...made.roleAssignmentIds, ...listed])].filter((id) => !removed.has(id));
      if (pending.length) {
        const done = await Promise.all(pending.map(deleteOne));
        for (const id of done) removed.add(id);
        await made.forget?.(done);
        progress.onSent?.();
        continue;
      }
      progress.onSent?.();
      if (listed.length === 0) return `${removed.size} role assignment(s) removed; none left`;
      // Only assignments just deleted are still listed: their removal is replicating. Wait a little, then let
      // the job's retry look again.
      if (Date.now() + wait > deadline) throw new EntraError(`Graph still shows ${listed.length} role assignment(s).`, "verify_failed");
      await sleep(wait);
    }
  },
  async remove_tap(graph, userId, made = nothingKnown) {
    // Whether the pass was there to delete: one Stint knew of may have lapsed or been replaced.
    const deleteOne = (id: string) =>
      graph.deleteTemporaryAccessPass(userId, id).then(
        () => true,
        (err: unknown) => {
          ignoreNotFound(err);
          return false;
        },
      );
    const tried = new Set<string>();
    let removed = 0;
    let pending = made.tapMethodId ? [made.tapMethodId] : (await graph.listTemporaryAccessPasses(userId)).map((p) => p.id);
    for (;;) {
      removed += (await Promise.all(pending.map(deleteOne))).filter(Boolean).length;
      pending.forEach((id) => tried.add(id));
      const usable = (await graph.listTemporaryAccessPasses(userId)).filter((p) => p.isUsable);
      if (!usable.length) return removed ? `${removed} Temporary Access Pass(es) removed; none usable` : "no Temporary Access Pass; none usable";
      pending = usable.map((p) => p.id).filter((id) => !tried.has(id));
      if (!pending.length) throw new EntraError(`Graph still shows ${usable.length} usable Temporary Access Pass(es).`, "verify_failed");
    }
  },
  async revoke_sessions(graph, userId) {
    const since = new Date();
    await sendAgainIfLost(() => graph.revokeSignInSessions(userId));
    const user = await graph.getUser(userId, "id,signInSessionsValidFromDateTime");
    if (!notBefore((user as Record<string, unknown>).signInSessionsValidFromDateTime, since)) {
      throw new EntraError("Graph does not show the sign-in sessions revoked yet.", "verify_failed");
    }
    return `sessions valid only from ${(user as Record<string, unknown>).signInSessionsValidFromDateTime}`;
  },
  async disable(graph, userId) {
    await graph.updateUser(userId, { accountEnabled: false });
    const user = await graph.getUser(userId, "id,accountEnabled");
    if (user.accountEnabled !== false) throw new EntraError("Graph still shows the account enabled.", "verify_failed");
    return "account disabled";
  },
  async rotate_password(graph, userId) {
    const since = new Date();
    // A password nobody knows: the revealed one stops working; this one is never stored.
    await graph.updateUser(userId, { passwordProfile: { password: generateJitPassword(32), forceChangePasswordNextSignIn: false } });
    const user = await graph.getUser(userId, "id,lastPasswordChangeDateTime");
    if (!notBefore((user as Record<string, unknown>).lastPasswordChangeDateTime, since)) {
      throw new EntraError("Graph does not show the password changed yet.", "verify_failed");
    }
    return "password replaced by one nobody knows";
  },
  async delete(graph, userId) {
    await graph.deleteUser(userId).catch(ignoreNotFound);
    const stillThere = await graph.getUser(userId, "id").then(
      () => true,
      (err) => (isNotFound(err) ? false : Promise.reject(err)),
    );
    if (stillThere) throw new EntraError("Graph still shows the account.", "verify_failed");
    await graph.permanentlyDeleteUser(userId).catch(ignoreNotFound);
    return "account deleted and purged";
  },
};
