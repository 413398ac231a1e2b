/**
 * The code a member types in the console to approve the extension (RFC 8628 §6.1): consonants only, so
 * no words and nothing to confuse (no 0/O, 1/I, 5/S-style pairs, no vowels); 8 of them = 20^8 ≈ 2^34.6
 * codes, against a per-member lookup limit and a 10-minute life. Stored bare, shown as XXXX-XXXX.
 */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;

/** A new code, uniformly random: bytes ≥ 240 (12 × 20) are dropped, so there is no modulo bias. */
export function newUserCode(): string {
  let out = "";
  while (out.length < USER_CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(USER_CODE_LENGTH * 2))) {
      if (byte < 240) out += USER_CODE_ALPHABET[byte % USER_CODE_ALPHABET.length];
      if (out.length === USER_CODE_LENGTH) break;
    }
  }
  return out;
}

/** "BCDFGHJK" → "BCDF-GHJK". */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * What a member typed → the stored form, or null when it cannot be a code. Case, spaces and dashes do
 * not matter ("bcdf ghjk", "BCDF-GHJK").
 */
export function normaliseUserCode(input: string): string | null {
  const bare = input.toUpperCase().replace(/[\s-]+/g, "");
  if (bare.length !== USER_CODE_LENGTH) return null;
  for (const ch of bare) if (!USER_CODE_ALPHABET.includes(ch)) return null;
  return bare;
}
