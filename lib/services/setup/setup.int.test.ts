import { afterAll, describe, expect, it } from "vitest";
import { and, asc, eq } from "drizzle-orm";
import { auditEvents, members, passkeys, systemState, webauthnChallenges } from "@/db/schema";
import { digest } from "@/lib/ids";
import { closeDb } from "@/db/client";
import { env } from "@/lib/env";
import { systemTxBypassingRls } from "@/db/tx";
import { resolveSession } from "@/lib/services/sessions/resolve";
import { SoftAuthenticator } from "@/test/soft-authenticator";
import { expectAppError as expectCode, newFlowToken, runSetup, testRequest, uniqueEmail } from "@/test/factories";
import { completeSetup } from "./complete";
import { startSetup } from "./start";
import { isSetupOpen } from "./status";

// Setup can succeed once per database, so this file is the only one that runs the real setup. The
// refusals come first, while setup is still open; the tests depend on running in order.

afterAll(closeDb);

const form = (setupCode = env.SETUP_CODE!) => ({ setupCode, mspName: "Contoso IT", ownerName: "Olive Owner", ownerEmail: uniqueEmail("setup-owner") });


describe("first-run setup", () => {
  it("is open on a fresh database", async () => {
    expect(await isSetupOpen()).toBe(true);
  });

  it.each([
    ["wrong origin", { origin: "https://evil.example" }],
    ["wrong RP ID", { rpId: "evil.example" }],
    ["no user verification", { flags: { uv: false } }],
    ["wrong ceremony type", { type: "webauthn.get" }],
    ["BE=0 with BS=1", { flags: { be: false, bs: true } }],
  ])("refuses a passkey with %s and stays open", async (_what, tamper) => {
    const flow = newFlowToken();
    const options = await startSetup(form(), flow);
    await expectCode(completeSetup(new SoftAuthenticator().register(options, tamper), flow, testRequest), "bad_request");
    expect(await isSetupOpen()).toBe(true);
  });

  it("a challenge is used up by a failed attempt: the honest retry with the same challenge fails", async () => {
    const flow = newFlowToken();
    const options = await startSetup(form(), flow);
    const auth = new SoftAuthenticator();
    await expectCode(completeSetup(auth.register(options, { origin: "http://localhost:3001" }), flow, testRequest), "bad_request");
    await expectCode(completeSetup(auth.register(options), flow, testRequest), "bad_request");
    expect(await isSetupOpen()).toBe(true);
  });

  it("refuses an expired challenge", async () => {
    const flow = newFlowToken();
    const options = await startSetup(form(), flow);
    await systemTxBypassingRls((tx) =>
      tx.update(webauthnChallenges).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(webauthnChallenges.flowDigest, digest(flow))),
    );
    await expectCode(completeSetup(new SoftAuthenticator().register(options), flow, testRequest), "bad_request");
    expect(await isSetupOpen()).toBe(true);
  });

  it("needs the setup code: a wrong or missing one is refused before any passkey ceremony starts", async () => {
    for (const wrong of ["BCDF-GHJK-LMNP-QRST-VWXZ-BCDF", env.SETUP_CODE!.slice(0, -1), `${env.SETUP_CODE}x`]) {
      const flow = newFlowToken();
      const error = await expectCode(startSetup(form(wrong), flow), "forbidden");
      expect(error.field).toBe("setupCode");
      expect(error.message).toMatch(/printed by npm start in its terminal, and kept in \.data\/setup-code/);
      const stored = await systemTxBypassingRls((tx) => tx.select().from(webauthnChallenges).where(eq(webauthnChallenges.flowDigest, digest(flow))));
      expect(stored).toEqual([]);
    }
    await expect(startSetup({ ...form(), setupCode: "" }, newFlowToken())).rejects.toThrow();
    expect(await isSetupOpen()).toBe(true);
  });

  it("takes the code however it is typed, and never stores it", async () => {
    const flow = newFlowToken();
    await startSetup(form(` ${env.SETUP_CODE!.toLowerCase()} `), flow);
    const [challenge] = await systemTxBypassingRls((tx) => tx.select().from(webauthnChallenges).where(eq(webauthnChallenges.flowDigest, digest(flow))));
    expect(JSON.stringify(challenge)).not.toContain(env.SETUP_CODE!);
    expect(JSON.stringify(challenge).toLowerCase()).not.toContain(env.SETUP_CODE!.toLowerCase());
  });

  it("refuses invalid form input", async () => {
    await expect(startSetup({ setupCode: env.SETUP_CODE!, mspName: "x", ownerName: "", ownerEmail: "not-an-email" }, newFlowToken())).rejects.toThrow();
  });

  let raced: { flow: string; response: ReturnType<SoftAuthenticator["register"]> } | undefined;

  it("completes once: MSP, owner, passkey, session and audit trail", async () => {
    // A second browser starts setup too; it will lose the race below.
    const racedFlow = newFlowToken();
    const racedOptions = await startSetup(form(), racedFlow);
    raced = { flow: racedFlow, response: new SoftAuthenticator().register(racedOptions) };

    const ownerEmail = uniqueEmail("the-owner");
    const msp = await runSetup({ mspName: "Fabrikam MSP", ownerEmail, ownerName: "Fay Owner" });
    expect(msp.mspId).toMatch(/^msp_/);
    expect(msp.owner.role).toBe("owner");
    expect(msp.owner.email).toBe(ownerEmail);
    expect(await isSetupOpen()).toBe(false);

    const resolved = await resolveSession(msp.owner.session.token);
    expect(resolved).toMatchObject({ mspId: msp.mspId, mspName: "Fabrikam MSP", member: { id: msp.owner.id, role: "owner" } });

    const [state] = await systemTxBypassingRls((tx) => tx.select().from(systemState).where(eq(systemState.key, "setup")));
    expect(state).toBeDefined();

    const keys = await systemTxBypassingRls((tx) => tx.select().from(passkeys).where(eq(passkeys.memberId, msp.owner.id)));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ id: msp.owner.authenticator.credential.id, mspId: msp.mspId, counter: 0, backupEligible: false });

    const [member] = await systemTxBypassingRls((tx) => tx.select().from(members).where(eq(members.id, msp.owner.id)));
    // The WebAuthn user handle is random and opaque, never the email.
    expect(member!.webauthnUserId).toBe(msp.owner.authenticator.credential.userHandle);
    expect(member!.webauthnUserId).not.toContain("@");

    const events = await systemTxBypassingRls((tx) =>
      tx.select().from(auditEvents).where(eq(auditEvents.mspId, msp.mspId)).orderBy(asc(auditEvents.seq)),
    );
    expect(events.map((e) => e.action)).toEqual(["setup.completed", "member.created", "passkey.registered", "auth.signed_in"]);
    expect(events.every((e) => e.actorId === msp.owner.id && e.result === "success" && e.ip === testRequest.ip)).toBe(true);
  });

  it("a setup started before completion cannot complete after it (gone)", async () => {
    expect(raced).toBeDefined();
    await expectCode(completeSetup(raced!.response, raced!.flow, testRequest), "gone");
    const owners = await systemTxBypassingRls((tx) => tx.select().from(members).where(and(eq(members.role, "owner"))));
    // Only the winning setup's owner (seeded MSPs of other files may exist, but none from this race).
    expect(owners.filter((o) => o.displayName === "Olive Owner")).toHaveLength(0);
  });

  it("a second setup attempt is refused with gone, even with the right code", async () => {
    await expectCode(startSetup(form(), newFlowToken()), "gone");
    await expect(runSetup()).rejects.toMatchObject({ code: "gone" });
  });
});
