import { and, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { accessHooks, grantHooks, grants, psaConnections, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { logger } from "@/lib/logger";
import { PsaError } from "@/lib/psa/types";
import { psaKindLabels } from "@/lib/vocabulary/psa-kinds";
import type { SystemContext } from "@/lib/services/context";
import { getGrantInMsp } from "@/lib/services/grants/grant-row";
import { scheduleExpiry } from "@/lib/services/grants/schedule";
import { transitionGrant } from "@/lib/services/grants/transition";
import { psaClientOf } from "@/lib/services/psa/internal";

/**
 * Ends the MSP's live grants whose policy ends access with the ticket, once their ticket is closed in the PSA
 * (or gone from it): a scheduled grant is revoked, an active one starts its expiry at once. A PSA that does not
 * answer is asked again at the next run; access is never ended on a guess.
 */
export async function endGrantsOfClosedTickets(ctx: SystemContext): Promise<{ checked: number; ended: number }> {
  const mspId = ctx.mspId;
  const watched = await withMspTx(mspId, (tx) =>
    tx
      .selectDistinctOn([grants.id], { grant: grants, connection: psaConnections })
      .from(grants)
      .innerJoin(grantHooks, and(eq(grantHooks.grantId, grants.id), eq(grantHooks.mspId, grants.mspId)))
      .innerJoin(accessHooks, and(eq(accessHooks.id, grantHooks.hookId), eq(accessHooks.mspId, grants.mspId)))
      .innerJoin(psaConnections, and(eq(psaConnections.id, accessHooks.psaConnectionId), eq(psaConnections.mspId, grants.mspId)))
      .where(
        and(
          eq(grants.mspId, mspId),
          inArray(grants.state, ["approved", "active"]),
          isNull(grants.endReason),
          isNotNull(grants.ticketRef),
          eq(accessHooks.enabled, true),
          sql`(${accessHooks.psaOptions} ->> 'endOnTicketClose')::boolean`,
        ),
      ),
  );
  let ended = 0;
  const expiring: Grant[] = [];
  for (const { grant, connection } of watched) {
    let closed: string | null = null;
    try {
      const ticket = await psaClientOf(connection).getTicket(grant.ticketRef!);
      if (!ticket) closed = `${psaKindLabels[connection.kind]} no longer has ticket ${grant.ticketRef}.`;
      else if (ticket.closed) closed = `${psaKindLabels[connection.kind]} ticket ${ticket.id} was closed (${ticket.status}).`;
    } catch (err) {
      if (!(err instanceof PsaError)) throw err;
      logger.warn({ mspId, grantId: grant.id, code: err.code }, "ticket watch: the PSA did not answer; asked again next run");
      continue;
    }
    if (!closed) continue;
    const done = await withMspTx(mspId, async (tx) => {
      const current = await getGrantInMsp(tx, mspId, grant.id, { lock: true });
      if (current.endReason || !["approved", "active"].includes(current.state)) return null;
      const audit = { reason: closed, metadata: { endReason: "ticket_closed", ticket: current.ticketRef } };
      if (current.state === "approved") return transitionGrant(tx, ctx, current, "revoked", { endReason: "ticket_closed", usableTo: new Date() }, audit);
      return transitionGrant(tx, ctx, current, "expiring", { endReason: "ticket_closed", revokeReason: closed, expiryStartedAt: new Date() }, audit);
    });
    if (!done) continue;
    ended += 1;
    if (done.state === "expiring") expiring.push(done);
  }
  for (const grant of expiring) await scheduleExpiry(grant, { now: true });
  return { checked: watched.length, ended };
}
