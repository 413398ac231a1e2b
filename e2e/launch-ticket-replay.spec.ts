import { expect, test, type APIRequestContext } from "@playwright/test";
import postgres from "postgres";
import { closeDb } from "@/db/client";
import { grants } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { encryptSecret } from "@/lib/crypto/envelope";
import { keyRing } from "@/lib/crypto/key-ring";
import { newId } from "@/lib/ids";
import { createCustomer } from "@/lib/services/customers/create";
import { passwordContext } from "@/lib/services/grants/credential";
import { createToken } from "@/lib/services/tokens/create";
import { contextFor, inviteMember, seedMspDirectly, steppedUpContext } from "@/test/factories";

/**
 * Replay protection across instances: two `next start` processes on one database (e2e/support/serve.ts).
 * Each launch ticket is redeemed on both at the same moment; exactly one instance hands out the credential
 * and the other answers 410, because acceptance is one atomic insert of the ticket id in Postgres.
 */
const first = process.env.APP_URL!;
const second = `http://localhost:${process.env.E2E_SECOND_PORT}`;
const ROUNDS = 12;

async function untilServing(request: APIRequestContext, base: string) {
  await expect.poll(async () => (await request.get(`${base}/api/health`).catch(() => null))?.status() ?? 0, { timeout: 90_000, intervals: [500] }).toBe(200);
}

test.afterAll(closeDb);

test("the same ticket redeemed at once on two web instances is accepted exactly once", async ({ request }) => {
  test.setTimeout(120_000);
  await untilServing(request, second);

  const msp = await seedMspDirectly({ mspName: "Replay MSP" });
  const technician = await inviteMember(msp.owner, "technician");
  const customer = await createCustomer(contextFor(msp.owner), { name: "Replay customer" });
  const grantId = newId("grant");
  const password = `Replay-${grantId}`;
  await systemTxBypassingRls((tx) =>
    tx.insert(grants).values({
      id: grantId, mspId: msp.mspId, customerId: customer.id, memberId: technician.id, state: "active", accessLevelIds: [], roleTemplateIds: [],
      expiryActions: ["remove_roles", "disable"], durationMinutes: 60, justification: "replay test", startAt: new Date(),
      upn: `replay-${grantId.slice(-6).toLowerCase()}@replay.example`, displayName: "replay", entraTenantId: "00000000-0000-0000-0000-0000000000aa",
      passwordEnvelope: encryptSecret(keyRing(), password, passwordContext(grantId)),
    }),
  );
  const { token } = await createToken(await steppedUpContext(technician), { name: "Extension", scopes: ["credentials:read"], expiresInDays: 1 }, { type: "extension" });
  const headers = { authorization: `Bearer ${token}` };

  for (let round = 0; round < ROUNDS; round++) {
    // Issued by either instance: the signing key is shared, the ticket is not tied to where it came from.
    const issuer = round % 2 === 0 ? first : second;
    const issued = await request.post(`${issuer}/api/v1/grants/${grantId}/launch-ticket`, { headers });
    expect(issued.status()).toBe(201);
    const { ticket } = (await issued.json()) as { ticket: string };
    const answers = await Promise.all([first, second].map((base) => request.post(`${base}/api/v1/launch-tickets/redeem`, { headers, data: { ticket } })));
    expect(answers.map((a) => a.status()).sort()).toEqual([200, 410]);
    const winner = answers.find((a) => a.status() === 200)!;
    expect(await winner.json()).toMatchObject({ password });
  }

  const sql = postgres(process.env.DATABASE_OWNER_URL!, { max: 1 });
  try {
    const [accepted] = await sql`select count(*)::int as n from accepted_tickets where grant_id = ${grantId}`;
    expect(accepted!.n).toBe(ROUNDS);
    const audit = await sql`select result, reason, count(*)::int as n from audit_events where action = 'grant.launch_ticket_redeemed' and target_id = ${grantId} group by 1, 2 order by 1`;
    expect(audit).toEqual([
      { result: "failure", reason: "replay", n: ROUNDS },
      { result: "success", reason: null, n: ROUNDS },
    ]);
  } finally {
    await sql.end();
  }
});
