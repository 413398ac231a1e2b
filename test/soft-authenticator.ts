import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { isoBase64URL, isoCBOR } from "@simplewebauthn/server/helpers";
import { rp } from "@/lib/services/webauthn/rp";

/**
 * A software WebAuthn authenticator for tests: ES256 (P-256) credentials made with node:crypto,
 * "none" attestation, real signatures. Every part of a response can be tampered with, so tests can
 * check that the relying party refuses what a broken or malicious client would send.
 */

/** The product's own relying party (from APP_URL), so the same authenticator serves every suite. */
export const DEFAULT_ORIGIN = rp.origin;
export const DEFAULT_RP_ID = rp.id;
/** A made-up AAGUID, recognisable in the database. */
export const SOFT_AAGUID = "5f7a1e0c-0000-4000-8000-57494e54534b";

type Bytes = Uint8Array<ArrayBuffer>;

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

export type Flags = { up: boolean; uv: boolean; be: boolean; bs: boolean };

export type SoftCredential = {
  /** base64url credential id, as the RP stores it. */
  id: string;
  rawId: Bytes;
  privateKey: KeyObject;
  /** COSE_Key (EC2, ES256) bytes. */
  publicKeyCose: Bytes;
  /** base64url user handle (the `user.id` of the registration options). */
  userHandle: string;
  rpId: string;
  signCount: number;
  backupEligible: boolean;
  backedUp: boolean;
};

/** What every ceremony can falsify. Unset fields behave like an honest authenticator and browser. */
export type Tamper = {
  /** clientDataJSON.origin */
  origin?: string;
  /** The RP ID hashed into authenticatorData. */
  rpId?: string;
  /** clientDataJSON.type */
  type?: string;
  /** clientDataJSON.challenge (base64url). */
  challenge?: string;
  /** Overrides of individual authenticatorData flags (UP, UV, BE, BS). */
  flags?: Partial<Flags>;
  /** The signCount written into authenticatorData (the credential then remembers it). */
  counter?: number;
  /** Sign something else, so the signature does not verify. */
  badSignature?: boolean;
};

export type RegistrationTamper = Tamper & {
  /** Re-register an existing credential (same id and key) instead of creating a new one. */
  credential?: SoftCredential;
  /** Length in bytes of a new credential id (default 32). */
  credentialIdLength?: number;
};

export type AuthenticationTamper = Tamper & {
  /** The credential to use; default: the first allowed one, or the newest one for a discoverable request. */
  credential?: SoftCredential;
  /** `null` leaves userHandle out; a string replaces it (base64url). */
  userHandle?: string | null;
};

export type SoftAuthenticatorOptions = {
  origin?: string;
  /** BE flag of credentials it makes: true = a synced passkey ("multiDevice"). Default false. */
  backupEligible?: boolean;
  /** BS flag; default equals backupEligible. */
  backedUp?: boolean;
  /**
   * "increment": the signature counter goes up by one per assertion (a security key);
   * "zero": always 0 (synced passkeys, as Apple and Google report them).
   */
  counter?: "increment" | "zero";
  aaguid?: string;
};

function sha256(data: Uint8Array | string): Bytes {
  return new Uint8Array(createHash("sha256").update(data).digest());
}

function concat(...parts: Uint8Array[]): Bytes {
  return new Uint8Array(Buffer.concat(parts));
}

function uint32(n: number): Bytes {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n >>> 0, false);
  return out;
}

function uint16(n: number): Bytes {
  const out = new Uint8Array(2);
  new DataView(out.buffer).setUint16(0, n, false);
  return out;
}

function aaguidBytes(aaguid: string): Bytes {
  const hex = aaguid.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`Bad AAGUID ${aaguid}`);
  return new Uint8Array(Buffer.from(hex, "hex"));
}

function flagsByte(f: Flags, attested: boolean): number {
  return (f.up ? FLAG_UP : 0) | (f.uv ? FLAG_UV : 0) | (f.be ? FLAG_BE : 0) | (f.bs ? FLAG_BS : 0) | (attested ? FLAG_AT : 0);
}

function coseKeyOf(publicKey: KeyObject): Bytes {
  const jwk = publicKey.export({ format: "jwk" });
  if (!jwk.x || !jwk.y) throw new Error("not an EC key");
  const cose = new Map<number, number | Uint8Array>([
    [1, 2], // kty: EC2
    [3, -7], // alg: ES256
    [-1, 1], // crv: P-256
    [-2, isoBase64URL.toBuffer(jwk.x)],
    [-3, isoBase64URL.toBuffer(jwk.y)],
  ]);
  return new Uint8Array(isoCBOR.encode(cose));
}

export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];
  readonly origin: string;
  readonly backupEligible: boolean;
  readonly backedUp: boolean;
  readonly counterMode: "increment" | "zero";
  readonly aaguid: string;

  constructor(options: SoftAuthenticatorOptions = {}) {
    this.origin = options.origin ?? DEFAULT_ORIGIN;
    this.backupEligible = options.backupEligible ?? false;
    this.backedUp = options.backedUp ?? this.backupEligible;
    this.counterMode = options.counter ?? "increment";
    this.aaguid = options.aaguid ?? SOFT_AAGUID;
  }

  /** The newest credential (the one a discoverable sign-in offers by default). */
  get credential(): SoftCredential {
    const c = this.credentials[this.credentials.length - 1];
    if (!c) throw new Error("This soft authenticator has no credential yet.");
    return c;
  }

  private clientData(type: string, challenge: string, tamper: Tamper): Bytes {
    const body = {
      type: tamper.type ?? type,
      challenge: tamper.challenge ?? challenge,
      origin: tamper.origin ?? this.origin,
      crossOrigin: false,
    };
    return new Uint8Array(new TextEncoder().encode(JSON.stringify(body)));
  }

  private signOver(credential: SoftCredential, authData: Bytes, clientDataJSON: Bytes, tamper: Tamper): Bytes {
    const signed = concat(authData, sha256(clientDataJSON));
    if (tamper.badSignature) signed[0] = signed[0]! ^ 0xff;
    // ECDSA signatures from node:crypto are DER-encoded by default, as WebAuthn expects.
    return new Uint8Array(sign("sha256", signed, credential.privateKey));
  }

  /** navigator.credentials.create(), answered with a RegistrationResponseJSON. */
  register(options: PublicKeyCredentialCreationOptionsJSON, tamper: RegistrationTamper = {}): RegistrationResponseJSON {
    const rpId = options.rp.id ?? DEFAULT_RP_ID;
    let credential = tamper.credential;
    if (!credential) {
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
      const rawId = new Uint8Array(randomBytes(tamper.credentialIdLength ?? 32));
      credential = {
        id: isoBase64URL.fromBuffer(rawId),
        rawId,
        privateKey,
        publicKeyCose: coseKeyOf(publicKey),
        userHandle: options.user.id,
        rpId,
        signCount: 0,
        backupEligible: this.backupEligible,
        backedUp: this.backedUp,
      };
      this.credentials.push(credential);
    } else {
      credential.userHandle = options.user.id;
    }
    const flags: Flags = {
      up: true,
      uv: true,
      be: credential.backupEligible,
      bs: credential.backedUp,
      ...tamper.flags,
    };
    const signCount = tamper.counter ?? 0;
    credential.signCount = signCount;
    const authData = concat(
      sha256(tamper.rpId ?? rpId),
      Uint8Array.of(flagsByte(flags, true)),
      uint32(signCount),
      aaguidBytes(this.aaguid),
      uint16(credential.rawId.byteLength),
      credential.rawId,
      credential.publicKeyCose,
    );
    const clientDataJSON = this.clientData("webauthn.create", options.challenge, tamper);
    const attestation = new Map<string, string | Uint8Array | Map<string, string>>();
    attestation.set("fmt", "none");
    attestation.set("attStmt", new Map<string, string>());
    attestation.set("authData", authData);
    const attestationObject = new Uint8Array(isoCBOR.encode(attestation));
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
        attestationObject: isoBase64URL.fromBuffer(attestationObject),
        transports: ["internal", "hybrid"],
        publicKeyAlgorithm: -7,
        authenticatorData: isoBase64URL.fromBuffer(authData),
      },
      clientExtensionResults: { credProps: { rk: true } },
      authenticatorAttachment: "platform",
    };
  }

  /** navigator.credentials.get(), answered with an AuthenticationResponseJSON. */
  authenticate(options: PublicKeyCredentialRequestOptionsJSON, tamper: AuthenticationTamper = {}): AuthenticationResponseJSON {
    const rpId = options.rpId ?? DEFAULT_RP_ID;
    const allowed = (options.allowCredentials ?? []).map((c) => c.id);
    let credential = tamper.credential;
    if (!credential) {
      credential =
        allowed.length > 0
          ? this.credentials.find((c) => allowed.includes(c.id))
          : [...this.credentials].reverse().find((c) => c.rpId === rpId);
      if (!credential) throw new Error("The soft authenticator has no credential for this request.");
    }
    const signCount = tamper.counter ?? (this.counterMode === "zero" ? 0 : credential.signCount + 1);
    credential.signCount = signCount;
    const flags: Flags = {
      up: true,
      uv: true,
      be: credential.backupEligible,
      bs: credential.backedUp,
      ...tamper.flags,
    };
    const authData = concat(sha256(tamper.rpId ?? rpId), Uint8Array.of(flagsByte(flags, false)), uint32(signCount));
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, tamper);
    const signature = this.signOver(credential, authData, clientDataJSON, tamper);
    const userHandle = tamper.userHandle === undefined ? credential.userHandle : tamper.userHandle;
    return {
      id: credential.id,
      rawId: credential.id,
      type: "public-key",
      response: {
        clientDataJSON: isoBase64URL.fromBuffer(clientDataJSON),
        authenticatorData: isoBase64URL.fromBuffer(authData),
        signature: isoBase64URL.fromBuffer(signature),
        ...(userHandle === null ? {} : { userHandle }),
      },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }
}
