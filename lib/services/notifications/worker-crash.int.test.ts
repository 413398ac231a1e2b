import { expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { withMspTx } from "@/db/tx";
import { recordAudit } from "@/lib/services/audit/record";
import { contextFor } from "@/test/factories";
import { grantSuite, sleep, waitFor, workersPerTest } from "@/test/grant-harness";
import { insertActiveGrant, jitReadyCustomer } from "@/test/grants";
import { startReceiver } from "@/test/webhook-receiver";
import { createEndpoint } from "./create-endpoint";

// The real worker (jobs/worker.ts) in its own process, woken by the outbox's NOTIFY, killed mid-send.
const suite = grantSuite("notify_crash", "Notification crash MSP");
// A silent receiver is given up on after 3 s.
const worker = workersPerTest({ NOTIFY_SEND_TIMEOUT_SECONDS: "3" });

it("a worker killed mid-delivery loses nothing: another sends the end of the session, once per endpoint in effect (one webhook-id)", async () => {
  const owner = contextFor(suite.msp.owner, { stepUp: "fresh" });
  const receiver = await startReceiver(["hang"]);
  try {
    const { endpoint, secret } = await createEndpoint(owner, { kind: "webhook", name: "PSA", url: receiver.url, events: ["grant.ended"] });
    const ready = await jitReadyCustomer(suite.msp);
    const grant = await insertActiveGrant({ mspId: suite.msp.mspId, customerId: ready.customer.id, memberId: ready.technician.id, tenantId: ready.tenant.id, domain: ready.domain, password: "x" });

    const first = worker();
    await withMspTx(suite.msp.mspId, (tx) => recordAudit(tx, owner, { action: "grant.ended", target: { type: "grant", id: grant.id } }));
    await waitFor("the first attempt to reach the receiver", async () => receiver.requests.length >= 1, { timeoutMs: 45_000 });
    expect(await first.crash()).toBe("SIGKILL");

    worker();
    const delivered = await waitFor(
      "another worker to deliver it",
      async () => {
        const [row] = await suite.sql`select state, attempts from notification_deliveries where endpoint_id = ${endpoint.id}`;
        return row?.state === "delivered" ? row : null;
      },
      { timeoutMs: 60_000 },
    );
    // Settle: no further attempt follows an acknowledged one.
    await sleep(3_000);
    expect(delivered.attempts).toBeGreaterThanOrEqual(2);
    const acknowledged = receiver.requests.filter((r) => r.status === 200);
    expect(acknowledged).toHaveLength(1);
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    expect(new Webhook(secret!).verify(acknowledged[0]!.body, acknowledged[0]!.headers as Record<string, string>)).toMatchObject({
      type: "grant.ended",
      data: { grant: { id: grant.id } },
    });
  } finally {
    await receiver.close();
  }
}, 150_000);
