import { describe, expect, it } from "vitest";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from "@simplewebauthn/server";
import { isoBase64URL } from "@simplewebauthn/server/helpers";
import { DEFAULT_ORIGIN, DEFAULT_RP_ID, SOFT_AAGUID, SoftAuthenticator, type RegistrationTamper } from "./soft-authenticator";

// The soft authenticator is only useful if @simplewebauthn/server (what the product uses) accepts its
// honest output and rejects each tampered part for the right reason.

const rp = { expectedOrigin: DEFAULT_ORIGIN, expectedRPID: DEFAULT_RP_ID, requireUserVerification: true };

function registrationOptions() {
  return generateRegistrationOptions({
    rpName: "Stint",
    rpID: DEFAULT_RP_ID,
    userID: isoBase64URL.toBuffer("dGVzdC11c2VyLWhhbmRsZS0wMDAx"),
    userName: "someone@example.test",
    attestationType: "none",
    authenticatorSelection: { residentKey: "required", userVerification: "required" },
  });
}

async function registered(auth = new SoftAuthenticator(), tamper: RegistrationTamper = {}) {
  const options = await registrationOptions();
  const response = auth.register(options, tamper);
  const verification = await verifyRegistrationResponse({ response, expectedChallenge: options.challenge, ...rp });
  if (!verification.verified) throw new Error("not verified");
  const { credential } = verification.registrationInfo;
  const stored: WebAuthnCredential = { id: credential.id, publicKey: credential.publicKey, counter: credential.counter };
  return { auth, options, verification, stored };
}

async function registerWith(tamper: RegistrationTamper) {
  const auth = new SoftAuthenticator();
  const options = await registrationOptions();
  const response = auth.register(options, tamper);
  return verifyRegistrationResponse({ response, expectedChallenge: options.challenge, ...rp });
}

describe("soft authenticator: registration", () => {
  it("produces a response that @simplewebauthn/server verifies", async () => {
    const { auth, options, verification } = await registered();
    const info = verification.registrationInfo;
    expect(info.fmt).toBe("none");
    expect(info.credential.id).toBe(auth.credential.id);
    expect(info.aaguid).toBe(SOFT_AAGUID);
    expect(info.userVerified).toBe(true);
    expect(info.credentialDeviceType).toBe("singleDevice");
    expect(info.credentialBackedUp).toBe(false);
    expect(info.origin).toBe(DEFAULT_ORIGIN);
    expect(info.rpID).toBe(DEFAULT_RP_ID);
    expect(auth.credential.userHandle).toBe(options.user.id);
  });

  it("reports a synced passkey (BE=1, BS=1) as multiDevice and backed up", async () => {
    const { verification } = await registered(new SoftAuthenticator({ backupEligible: true }));
    expect(verification.registrationInfo.credentialDeviceType).toBe("multiDevice");
    expect(verification.registrationInfo.credentialBackedUp).toBe(true);
  });

  it.each<[string, RegistrationTamper, RegExp]>([
    ["origin", { origin: "https://evil.example" }, /origin/i],
    ["RP ID", { rpId: "evil.example" }, /RP ID/i],
    ["type", { type: "webauthn.get" }, /type/i],
    ["challenge", { challenge: isoBase64URL.fromBuffer(new Uint8Array(32)) }, /challenge/i],
    ["UV", { flags: { uv: false } }, /verif/i],
    ["UP", { flags: { up: false } }, /present/i],
    ["BE=0 BS=1", { flags: { be: false, bs: true } }, /backed up/i],
  ])("tampered %s is rejected", async (_part, tamper, message) => {
    await expect(registerWith(tamper)).rejects.toThrow(message);
  });

  it("can re-register an existing credential (same id and key)", async () => {
    const { auth } = await registered();
    const first = auth.credential;
    const options = await registrationOptions();
    const response = auth.register(options, { credential: first });
    expect(response.id).toBe(first.id);
    expect(auth.credentials).toHaveLength(1);
    const verification = await verifyRegistrationResponse({ response, expectedChallenge: options.challenge, ...rp });
    expect(verification.verified).toBe(true);
  });
});

describe("soft authenticator: authentication", () => {
  it("produces assertions that verify, with an increasing counter", async () => {
    const { auth, stored } = await registered();
    for (const expected of [1, 2]) {
      const options = await generateAuthenticationOptions({ rpID: DEFAULT_RP_ID, userVerification: "required" });
      const response = auth.authenticate(options);
      expect(response.response.userHandle).toBe(auth.credential.userHandle);
      const v = await verifyAuthenticationResponse({ response, expectedChallenge: options.challenge, credential: stored, ...rp });
      expect(v.verified).toBe(true);
      expect(v.authenticationInfo.newCounter).toBe(expected);
      stored.counter = v.authenticationInfo.newCounter;
    }
  });

  it("always reports counter 0 in zero mode, which the library accepts", async () => {
    const { auth, stored } = await registered(new SoftAuthenticator({ counter: "zero", backupEligible: true }));
    for (let i = 0; i < 2; i++) {
      const options = await generateAuthenticationOptions({ rpID: DEFAULT_RP_ID });
      const v = await verifyAuthenticationResponse({
        response: auth.authenticate(options),
        expectedChallenge: options.challenge,
        credential: stored,
        ...rp,
      });
      expect(v.authenticationInfo.newCounter).toBe(0);
      expect(v.authenticationInfo.credentialDeviceType).toBe("multiDevice");
    }
  });

  it("picks the allowed credential and can omit or replace the user handle", async () => {
    const auth = new SoftAuthenticator();
    const { stored: first } = await registered(auth);
    await registered(auth);
    const options = await generateAuthenticationOptions({ rpID: DEFAULT_RP_ID, allowCredentials: [{ id: first.id }] });
    expect(auth.authenticate(options).id).toBe(first.id);
    expect(auth.authenticate(options, { userHandle: null }).response.userHandle).toBeUndefined();
    expect(auth.authenticate(options, { userHandle: "b3RoZXI" }).response.userHandle).toBe("b3RoZXI");
  });

  it.each<[string, Parameters<SoftAuthenticator["authenticate"]>[1], RegExp]>([
    ["origin", { origin: "http://localhost:3001" }, /origin/i],
    ["RP ID", { rpId: "evil.example" }, /RP ID/i],
    ["type", { type: "webauthn.create" }, /type/i],
    ["challenge", { challenge: "AAAA" }, /challenge/i],
    ["UV", { flags: { uv: false } }, /verif/i],
    ["UP", { flags: { up: false } }, /present/i],
    ["BE=0 BS=1", { flags: { be: false, bs: true } }, /backed up/i],
    ["signature", { badSignature: true }, /./],
  ])("tampered %s is rejected", async (_part, tamper, message) => {
    const { auth, stored } = await registered();
    const options = await generateAuthenticationOptions({ rpID: DEFAULT_RP_ID });
    const attempt = verifyAuthenticationResponse({
      response: auth.authenticate(options, tamper),
      expectedChallenge: options.challenge,
      credential: stored,
      ...rp,
    });
    if (tamper?.badSignature) {
      await expect(attempt).resolves.toMatchObject({ verified: false });
    } else {
      await expect(attempt).rejects.toThrow(message);
    }
  });

  it("a counter regression is rejected by the library", async () => {
    const { auth, stored } = await registered();
    stored.counter = 5;
    const options = await generateAuthenticationOptions({ rpID: DEFAULT_RP_ID });
    await expect(
      verifyAuthenticationResponse({ response: auth.authenticate(options, { counter: 3 }), expectedChallenge: options.challenge, credential: stored, ...rp }),
    ).rejects.toThrow(/counter/i);
  });
});
