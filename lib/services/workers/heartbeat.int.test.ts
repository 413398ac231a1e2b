import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { workerProcesses } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { beatingProcess, startHeartbeat } from "./heartbeat";

const rowOf = async (id: string) => {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(workerProcesses).where(eq(workerProcesses.id, id)));
  return row;
};

describe("worker heartbeat", () => {
  it("registers the process, keeps it seen every second, and leaves when stopped", async () => {
    expect(beatingProcess()).toBeNull();
    const stop = await startHeartbeat();
    const id = beatingProcess()!;
    expect(id).toContain(`:${process.pid}:`);
    const first = (await rowOf(id))!;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = (await rowOf(id))!;
    expect(later.seenAt.getTime()).toBeGreaterThan(first.seenAt.getTime());

    await stop();
    expect(beatingProcess()).toBeNull();
    expect(await rowOf(id)).toBeUndefined();
  });

  it("drops the rows of processes gone for over an hour when a process starts", async () => {
    await systemTxBypassingRls((tx) =>
      tx.insert(workerProcesses).values([
        { id: "gone-long-ago", seenAt: new Date(Date.now() - 2 * 3_600_000) },
        { id: "gone-a-minute-ago", seenAt: new Date(Date.now() - 60_000) },
      ]),
    );
    const stop = await startHeartbeat();
    await stop();
    expect(await rowOf("gone-long-ago")).toBeUndefined();
    expect(await rowOf("gone-a-minute-ago")).toBeDefined();
    await systemTxBypassingRls((tx) => tx.delete(workerProcesses).where(eq(workerProcesses.id, "gone-a-minute-ago")));
  });
});
