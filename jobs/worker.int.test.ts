import { QueueEvents, Queue, Worker } from "bullmq";
import { afterAll, describe, expect, it, vi } from "vitest";
import { withMspTx } from "@/db/tx";
import { randomBase62 } from "@/lib/ids";
import { logger } from "@/lib/logger";
import { queueConnection } from "@/lib/queue/connection";
import { recordAudit } from "@/lib/services/audit/record";
import { getLatestChainCheck } from "@/lib/services/audit/list";
import { contextFor, seedMspDirectly } from "@/test/factories";
import { runJob } from "./registry";

// One real path through Redis: a job enqueued on a BullMQ queue is picked up by a worker running the
// same dispatcher as jobs/worker.ts, and its effect lands in Postgres.
const prefix = `stint_test_${randomBase62(8)}`;
const connection = queueConnection();
const queue = new Queue("maintenance", { connection, prefix });
const events = new QueueEvents("maintenance", { connection, prefix });
const worker = new Worker("maintenance", (job) => runJob(job), { connection, prefix, concurrency: 2 });

afterAll(async () => {
  await worker.close();
  await events.close();
  await queue.obliterate({ force: true });
  await queue.close();
});

describe("worker", () => {
  it("runs audit.verify from the queue and records the verdict", async () => {
    const msp = await seedMspDirectly({ mspName: "Queue MSP" });
    const ctx = contextFor(msp.owner);
    await withMspTx(msp.mspId, (tx) => recordAudit(tx, ctx, { action: "test.event" }));
    await events.waitUntilReady();
    const job = await queue.add("audit.verify", { mspId: msp.mspId });
    const result = await job.waitUntilFinished(events, 15_000);
    expect(result).toEqual({ checked: 1, broken: 0 });
    const check = await getLatestChainCheck(ctx);
    expect(check).toMatchObject({ ok: true, eventsChecked: 1 });
  });

  it("refuses a job whose payload does not match its definition", async () => {
    await expect(runJob({ name: "audit.verify", data: { mspId: 42 } })).rejects.toThrow();
  });

  it("logs and drops a job of a name it does not know: it completes, with no retry", async () => {
    const warn = vi.spyOn(logger, "warn");
    await events.waitUntilReady();
    const job = await queue.add("no.such", {}, { attempts: 5 });
    expect(await job.waitUntilFinished(events, 15_000)).toEqual({ dropped: "unknown job" });
    const done = (await queue.getJob(job.id!))!;
    expect(await done.getState()).toBe("completed");
    expect(done.attemptsMade).toBe(1);
    expect(warn).toHaveBeenCalledWith({ job: "no.such", id: job.id }, "unknown job dropped");
    warn.mockRestore();
  });

  it("drops a job whose grant is not in the database (another installation's, or deleted): no retry", async () => {
    const warn = vi.spyOn(logger, "warn");
    const msp = await seedMspDirectly({ mspName: "Elsewhere MSP" });
    await events.waitUntilReady();
    const job = await queue.add("grant.expire", { mspId: msp.mspId, grantId: "gr_notInThisDatabase" }, { attempts: 5 });
    expect(await job.waitUntilFinished(events, 15_000)).toEqual({ dropped: "not found" });
    expect((await queue.getJob(job.id!))!.attemptsMade).toBe(1);
    expect(warn).toHaveBeenCalledWith({ job: "grant.expire", id: job.id, reason: "Grant not found." }, "job for something not in the database dropped");
    warn.mockRestore();
  });

  it("runs session.cleanup through its handler", async () => {
    const result = (await runJob({ name: "session.cleanup", data: {} })) as Record<string, number>;
    expect(Object.keys(result).sort()).toEqual(["acceptedTickets", "challenges", "endedSessions", "extensionPairings", "staleInvites"]);
  });
});
