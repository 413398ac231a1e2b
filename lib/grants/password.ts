import { randomInt } from "node:crypto";

const sets = {
  upper: "ABCDEFGHJKLMNPQRSTUVWXYZ",
  lower: "abcdefghijkmnopqrstuvwxyz",
  digit: "23456789",
  // Symbols Entra accepts that survive copy, paste and autofill without escaping.
  symbol: "!#%+-.:=?@^_~",
};
const all = Object.values(sets).join("");

/**
 * A JIT account password from the OS CSPRNG: 24 characters (≈ 140 bits), with every character class
 * Entra's complexity rule counts (it needs three of four), and no look-alike characters.
 */
export function generateJitPassword(length = 24): string {
  const chars = Object.values(sets).map((set) => set[randomInt(set.length)]!);
  while (chars.length < length) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join("");
}
