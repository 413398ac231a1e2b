import { randomBytes, createHash } from "node:crypto";

const prefixes = {
  msp: "msp",
  member: "mem",
  session: "ses",
  invite: "inv",
  challenge: "chl",
  customer: "cus",
  connection: "con",
  consent: "cns",
  accessLevel: "acl",
  accessPolicy: "pol",
  team: "team",
  delegation: "dlg",
  grant: "gr",
  grantStep: "gst",
  orphan: "orp",
  apiToken: "tok",
  pairing: "pair",
  audit: "aud",
  auditCheck: "acc",
  auditCheckpoint: "acp",
  notification: "msg",
  notificationDelivery: "dlv",
  notificationEndpoint: "nep",
  psaConnection: "psa",
  psaCompanyLink: "psl",
  accessHook: "hook",
  grantHook: "ghk",
  hookConversation: "hcv",
} as const;

export type IdKind = keyof typeof prefixes;

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** base62 string of `length` chars from a CSPRNG, without modulo bias. */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += alphabet[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Grant ids are the JIT account's tag in Entra's employeeId, which holds 16 characters. */
const lengths: Partial<Record<IdKind, number>> = { grant: 13 };

export function newId(kind: IdKind): string {
  return `${prefixes[kind]}_${randomBase62(lengths[kind] ?? 20)}`;
}

/** A bearer secret (session, invite link): 256 bits, only its digest is ever stored. */
export function newSecret(): string {
  return randomBase62(43);
}

export function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
