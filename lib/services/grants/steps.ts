import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { grantSteps, type Grant } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { newId } from "@/lib/ids";
import { settled } from "./settled";

type GrantKey = Pick<Grant, "id" | "mspId">;

/**
 * Records one timeline step as running, in the caller's transaction; `finishStep` closes it. Its start is the
 * clock's, not the transaction's: steps opened together keep the order they were opened in.
 */
export async function startStep(tx: Tx, grant: GrantKey, step: string): Promise<string> {
  const id = newId("grantStep");
  await tx.insert(grantSteps).values({ id, mspId: grant.mspId, grantId: grant.id, step, status: "running", startedAt: sql`clock_timestamp()` });
  return id;
}

/** A person's act on the grant (a revoke and why) on its timeline, done as it is written, in the act's transaction. */
export async function recordActStep(tx: Tx, grant: GrantKey, step: string, detail: string): Promise<void> {
  await tx.insert(grantSteps).values({
    id: newId("grantStep"), mspId: grant.mspId, grantId: grant.id, step, status: "succeeded", startedAt: sql`clock_timestamp()`, finishedAt: sql`clock_timestamp()`, detail,
  });
}

export async function finishStep(tx: Tx, mspId: string, stepId: string, status: "succeeded" | "failed", detail?: string) {
  await tx
    .update(grantSteps)
    .set({ status, finishedAt: new Date(), detail: detail ?? null })
    .where(and(eq(grantSteps.id, stepId), eq(grantSteps.mspId, mspId)));
}

/** Closes a step as failed with the failure's message, in a transaction of its own. */
export async function failStep(grant: GrantKey, stepId: string, cause: unknown): Promise<void> {
  await withMspTx(grant.mspId, (tx) => finishStep(tx, grant.mspId, stepId, "failed", cause instanceof Error ? cause.message : String(cause)));
}

/**
 * In one transaction: what the finished step produced is stored, the step closed as succeeded and the next
 * one opened, in one statement: the grant's steps follow each other without a gap, and the bookkeeping costs
 * one database round trip per step.
 */
export async function advanceStep(grant: GrantKey, finished: { id: string; detail: string }, next: string, store?: (tx: Tx) => Promise<void>): Promise<string> {
  return withMspTx(grant.mspId, async (tx) => {
    await store?.(tx);
    const id = newId("grantStep");
    await tx.execute(sql`
      with finished as (
        update ${grantSteps} set status = 'succeeded', finished_at = clock_timestamp(), detail = ${finished.detail}
        where ${grantSteps.id} = ${finished.id} and ${grantSteps.mspId} = ${grant.mspId}
      )
      insert into ${grantSteps} (id, msp_id, grant_id, step, status, started_at)
      values (${id}, ${grant.mspId}, ${grant.id}, ${next}, 'running', clock_timestamp())`);
    return id;
  });
}

/**
 * Runs the work of an open step (its id may still be on its way: bookkeeping runs beside Graph calls where
 * order does not matter); a failure closes the step with its reason and is re-thrown.
 */
export async function inStep<T>(grant: GrantKey, stepId: string | Promise<string>, work: () => Promise<T>): Promise<T> {
  try {
    const [, result] = await settled(Promise.resolve(stepId), work());
    return result;
  } catch (err) {
    await failStep(grant, await stepId, err);
    throw err;
  }
}

/**
 * Steps from start to finish, run at the same time: opened in the given order in one transaction (the
 * timeline keeps that order), their work run together, each closed with its own detail or failure. Every one is allowed to finish
 * before the first failure is thrown, so a retry never overlaps work still in flight.
 */
export async function recordedStepsTogether(grant: GrantKey, steps: { name: string; work: () => Promise<string> }[]): Promise<void> {
  const ids = await withMspTx(grant.mspId, async (tx) => {
    const opened: string[] = [];
    for (const step of steps) opened.push(await startStep(tx, grant, step.name));
    return opened;
  });
  const outcomes = await Promise.allSettled(
    steps.map((step, i) =>
      inStep(grant, ids[i]!, async () => {
        const detail = await step.work();
        await withMspTx(grant.mspId, (tx) => finishStep(tx, grant.mspId, ids[i]!, "succeeded", detail));
      }),
    ),
  );
  const failure = outcomes.find((o) => o.status === "rejected");
  if (failure) throw failure.reason;
}
