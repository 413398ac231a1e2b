import { randomBase62 } from "@/lib/ids";
import type { TokenType } from "@/lib/vocabulary/token-types";

/**
 * Stint's token format (the shape of GitHub's): `<prefix><random><checksum>`.
 * - prefix: 3 letters and an underscore per token type. The underscore is not base62, so a random
 *   string cannot grow a prefix by accident, and a double-click selects the whole token.
 * - random: 32 base62 characters from a CSPRNG, 32 × log2(62) ≈ 190.5 bits. The display hint shows the
 *   last 4 characters (part of the checksum, so at most ~24 bits about the random part): ≥ 166 bits stay unknown.
 * - checksum: CRC32 of prefix + random, as 6 base62 characters (62^6 > 2^32), zero-padded.
 * The checksum is not a secret and proves nothing about authenticity: it lets a secret scanner recognise
 * a real Stint token offline, and lets Stint reject garbage before touching the database.
 */
export const tokenPrefixes: Record<TokenType, string> = { personal: "stp_", extension: "ste_" };

const PREFIX_LENGTH = 4;
export const TOKEN_RANDOM_LENGTH = 32;
const CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = PREFIX_LENGTH + TOKEN_RANDOM_LENGTH + CHECKSUM_LENGTH;

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const shape = new RegExp(`^(stp_|ste_)[0-9A-Za-z]{${TOKEN_RANDOM_LENGTH}}[0-9A-Za-z]{${CHECKSUM_LENGTH}}$`);
/** For scanning text (a URL, a log line) for things that look like Stint tokens. */
const anywhere = new RegExp(`(?<![0-9A-Za-z_])st[pe]_[0-9A-Za-z]{${TOKEN_RANDOM_LENGTH + CHECKSUM_LENGTH}}(?![0-9A-Za-z])`, "g");

const typeByPrefix = new Map(Object.entries(tokenPrefixes).map(([type, prefix]) => [prefix, type as TokenType]));

// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): node:zlib has crc32 only from Node 22.
const crcTable = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(input: string | Uint8Array): number {
  const bytes = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  let crc = 0xffffffff;
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function base62Fixed(value: number, width: number): string {
  let out = "";
  let rest = value;
  for (let i = 0; i < width; i++) {
    out = alphabet[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksumOf(body: string): string {
  return base62Fixed(crc32(body), CHECKSUM_LENGTH);
}

/** A new token of this type. Shown to its owner once; only its digest is stored. */
export function generateToken(type: TokenType): string {
  const body = tokenPrefixes[type] + randomBase62(TOKEN_RANDOM_LENGTH);
  return body + checksumOf(body);
}

/**
 * The token's type when `candidate` has a Stint prefix, the right shape and a matching checksum;
 * otherwise null. Offline and cheap: nothing here touches the database.
 */
export function parseToken(candidate: string): { type: TokenType } | null {
  if (candidate.length !== TOKEN_LENGTH || !shape.test(candidate)) return null;
  const body = candidate.slice(0, PREFIX_LENGTH + TOKEN_RANDOM_LENGTH);
  if (checksumOf(body) !== candidate.slice(PREFIX_LENGTH + TOKEN_RANDOM_LENGTH)) return null;
  const type = typeByPrefix.get(candidate.slice(0, PREFIX_LENGTH));
  return type ? { type } : null;
}

/** What lists show to recognise a token: its prefix and last four characters. */
export function tokenHint(token: string): string {
  return `${token.slice(0, PREFIX_LENGTH)}…${token.slice(-4)}`;
}

/** Every checksum-valid Stint token inside `text` (e.g. a URL that should never carry one). */
export function findTokens(text: string): string[] {
  return [...text.matchAll(anywhere)].map((m) => m[0]).filter((t) => parseToken(t) !== null);
}
