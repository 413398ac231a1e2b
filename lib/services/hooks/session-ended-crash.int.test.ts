import { expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { withMspTx } from "@/db/tx";
import { newId } from "@/lib/ids";
import { recordAudit } from "@/lib/services/audit/record";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { contextFor } from "@/test/factories";
import { grantSuite, sleep, waitFor, workersPerTest } from "@/test/grant-harness";
import { insertActiveGrant, jitReadyCustomer } from "@/test/grants";
import { startReceiver } from "@/test/webhook-receiver";
import { createAccessHook } from "./create";

// A hook's session_ended through the real worker (jobs/worker.ts, its own process), killed mid-call.
const suite = grantSuite("hook_crash", "Hook crash MSP");
// A silent receiver is given up on after 3 s.
const worker = workersPerTest({ NOTIFY_SEND_TIMEOUT_SECONDS: "3" });

it("a worker killed while a hook's session_ended waits loses nothing: another calls it, and it is acknowledged once with one id", async () => {
  const receiver = await startReceiver(["hang", 500]);
  try {
    const ready = await jitReadyCustomer(suite.msp);
    const policy = await createAccessPolicy(contextFor(suite.msp.owner), { name: "Crash policy", customerId: ready.customer.id });
    const { hook, secret } = await createAccessHook(contextFor(suite.msp.owner, { stepUp: "fresh" }), policy.id, {
      kind: "webhook", name: "Ticket closer", events: ["session_ended"], url: receiver.url, timeoutMs: 3000,
    });
    const grant = await insertActiveGrant({ mspId: suite.msp.mspId, customerId: ready.customer.id, memberId: ready.technician.id, tenantId: ready.tenant.id, domain: ready.domain, password: "x" });
    await suite.sql`insert into grant_hooks (id, msp_id, grant_id, hook_id, hook_name, position) values (${newId("grantHook")}, ${suite.msp.mspId}, ${grant.id}, ${hook.id}, ${hook.name}, 1)`;
    await suite.sql`update grants set state = 'ended', end_reason = 'expired', usable_to = now() where id = ${grant.id}`;

    const first = worker();
    await withMspTx(suite.msp.mspId, (tx) => recordAudit(tx, contextFor(suite.msp.owner), { action: "grant.ended", target: { type: "grant", id: grant.id } }));
    await waitFor("the first call to reach the hook", async () => receiver.requests.length >= 1, { timeoutMs: 45_000 });
    expect(await first.crash()).toBe("SIGKILL");

    worker();
    const delivered = await waitFor(
      "another worker to get it acknowledged",
      async () => {
        const [row] = await suite.sql`select state, attempts from notification_deliveries where grant_hook_id is not null and msp_id = ${suite.msp.mspId}`;
        return row?.state === "delivered" ? row : null;
      },
      { timeoutMs: 90_000 },
    );
    await sleep(3_000);
    expect(delivered.attempts).toBeGreaterThanOrEqual(2);
    const acknowledged = receiver.requests.filter((r) => r.status === 200);
    expect(acknowledged).toHaveLength(1);
    expect(new Set(receiver.requests.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const call = new Webhook(secret!).verify(acknowledged[0]!.body, acknowledged[0]!.headers as Record<string, string>) as { type: string; grant: { grant_id: string } };
    expect(call).toMatchObject({ type: "session_ended", grant: { grant_id: grant.id } });
    const ended = await suite.sql`select result from audit_events where action = 'hook.session_ended' and target_id = ${grant.id} order by seq`;
    expect(ended.map((e) => e.result).at(-1)).toBe("success");
  } finally {
    await receiver.close();
  }
}, 150_000);
