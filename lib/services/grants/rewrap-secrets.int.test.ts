import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { grants } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { decryptSecret, encryptSecret, keyIdOf, parseKeyRing } from "@/lib/crypto/envelope";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { seedMspDirectly, superuserSql } from "@/test/factories";
import { jitReadyCustomer } from "@/test/grants";
import { passwordContext, tapContext } from "./credential";
import { rewrapGrantSecrets } from "./rewrap-secrets";

afterAll(closeDb);

// The second key stays known to the later test: rows the first test moved onto it must still open.
const secondKey = `rot2:${randomBytes(32).toString("base64")}`;

describe("key rotation", () => {
  it("re-wraps stored passwords under the new active key; the old key can then leave the ring", async () => {
    const original = env.ENCRYPTION_KEYS!;
    const oldRing = parseKeyRing(original, undefined);
    const msp = await seedMspDirectly({ mspName: "Rotation MSP" });
    const { customer, technician, tenant } = await jitReadyCustomer(msp);
    const id = newId("grant");
    const envelope = encryptSecret(oldRing, "Rotate-Me-4711!", passwordContext(id));
    await systemTxBypassingRls((tx) =>
      tx.insert(grants).values({
        id, mspId: msp.mspId, customerId: customer.id, memberId: technician.id, state: "active", accessLevelIds: [], roleTemplateIds: [],
        expiryActions: ["remove_roles", "disable"], durationMinutes: 60, justification: "rotation test", startAt: new Date(),
        upn: `rotate@${tenant.domains[0]!.id}`, displayName: "rotation", entraTenantId: tenant.id, passwordEnvelope: envelope,
      }),
    );
    const newKey = secondKey;
    try {
      env.ENCRYPTION_KEYS = `${original},${newKey}`;
      env.ENCRYPTION_ACTIVE_KEY = "rot2";
      const result = await rewrapGrantSecrets();
      expect(result.rewrapped).toBeGreaterThanOrEqual(1);
      expect(result.remaining).toBe(0);
      const [row] = await systemTxBypassingRls((tx) => tx.select().from(grants).where(eq(grants.id, id)));
      expect(keyIdOf(row!.passwordEnvelope!)).toBe("rot2");
      expect(decryptSecret(parseKeyRing(newKey, "rot2"), row!.passwordEnvelope!, passwordContext(id))).toBe("Rotate-Me-4711!");
      expect((await rewrapGrantSecrets()).rewrapped).toBe(0);
    } finally {
      env.ENCRYPTION_KEYS = original;
      env.ENCRYPTION_ACTIVE_KEY = undefined;
    }
  });

  it("retries rows a running job holds, and reports any it could not reach instead of skipping them silently", async () => {
    const original = env.ENCRYPTION_KEYS!;
    const msp = await seedMspDirectly({ mspName: "Rotation lock MSP" });
    const { customer, technician, tenant } = await jitReadyCustomer(msp);
    const id = newId("grant");
    await systemTxBypassingRls((tx) =>
      tx.insert(grants).values({
        id, mspId: msp.mspId, customerId: customer.id, memberId: technician.id, state: "active", accessLevelIds: [], roleTemplateIds: [],
        expiryActions: ["remove_roles", "remove_tap", "disable"], durationMinutes: 60, justification: "rotation test", startAt: new Date(),
        upn: `rotate-lock@${tenant.domains[0]!.id}`, displayName: "rotation", entraTenantId: tenant.id, signInMethod: "tap",
        tapEnvelope: encryptSecret(parseKeyRing(original, undefined), "Tap+Lock1", tapContext(id)),
      }),
    );
    const sql = superuserSql();
    const newKey = `rot3:${randomBytes(32).toString("base64")}`;
    try {
      env.ENCRYPTION_KEYS = `${original},${secondKey},${newKey}`;
      env.ENCRYPTION_ACTIVE_KEY = "rot3";
      // A job holds the row for the whole first run.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const locking = sql.begin(async (tx) => {
        await tx`select id from grants where id = ${id} for update`;
        await held;
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const blocked = await rewrapGrantSecrets({ patienceMs: 1_200 });
      expect(blocked.remaining).toBeGreaterThanOrEqual(1);
      // Released while a second run is waiting: it picks the row up.
      const second = rewrapGrantSecrets({ patienceMs: 10_000 });
      setTimeout(release, 300);
      await locking;
      expect((await second).remaining).toBe(0);
      const [row] = await systemTxBypassingRls((tx) => tx.select().from(grants).where(eq(grants.id, id)));
      expect(keyIdOf(row!.tapEnvelope!)).toBe("rot3");
      expect(decryptSecret(parseKeyRing(newKey, "rot3"), row!.tapEnvelope!, tapContext(id))).toBe("Tap+Lock1");
    } finally {
      env.ENCRYPTION_KEYS = original;
      env.ENCRYPTION_ACTIVE_KEY = undefined;
      await sql.end();
    }
  });
});
