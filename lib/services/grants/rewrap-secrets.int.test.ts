import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { closeDb } from "@/db/client";
import { grants } from "@/db/schema";
import { withSystemTx } from "@/db/tx";
import { decryptSecret, encryptSecret, keyIdOf, parseKeyRing } from "@/lib/crypto/envelope";
import { env } from "@/lib/env";
import { newId } from "@/lib/ids";
import { seedMspDirectly } from "@/test/factories";
import { jitReadyCustomer } from "@/test/grants";
import { passwordContext } from "./credential";
import { rewrapGrantSecrets } from "./rewrap-secrets";

afterAll(closeDb);

describe("key rotation", () => {
  it("re-wraps stored passwords under the new active key; the old key can then leave the ring", async () => {
    const original = env.ENCRYPTION_KEYS!;
    const oldRing = parseKeyRing(original, undefined);
    const msp = await seedMspDirectly({ mspName: "Rotation MSP" });
    const { customer, technician, tenant } = await jitReadyCustomer(msp);
    const id = newId("grant");
    const envelope = encryptSecret(oldRing, "Rotate-Me-4711!", passwordContext(id));
    await withSystemTx((tx) =>
      tx.insert(grants).values({
        id, mspId: msp.mspId, customerId: customer.id, memberId: technician.id, state: "active", accessLevelIds: [], roleTemplateIds: [],
        expiryActions: ["remove_roles", "disable"], durationMinutes: 60, justification: "rotation test", startAt: new Date(),
        upn: `rotate@${tenant.domains[0]!.id}`, displayName: "rotation", entraTenantId: tenant.id, passwordEnvelope: envelope,
      }),
    );
    const newKey = `rot2:${randomBytes(32).toString("base64")}`;
    try {
      env.ENCRYPTION_KEYS = `${original},${newKey}`;
      env.ENCRYPTION_ACTIVE_KEY = "rot2";
      const result = await rewrapGrantSecrets();
      expect(result.rewrapped).toBeGreaterThanOrEqual(1);
      const [row] = await withSystemTx((tx) => tx.select().from(grants).where(eq(grants.id, id)));
      expect(keyIdOf(row!.passwordEnvelope!)).toBe("rot2");
      expect(decryptSecret(parseKeyRing(newKey, "rot2"), row!.passwordEnvelope!, passwordContext(id))).toBe("Rotate-Me-4711!");
      expect((await rewrapGrantSecrets()).rewrapped).toBe(0);
    } finally {
      env.ENCRYPTION_KEYS = original;
      env.ENCRYPTION_ACTIVE_KEY = undefined;
    }
  });
});
