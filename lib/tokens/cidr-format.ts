import ipaddr from "ipaddr.js";

/** Four decimal parts only: "127.1" or "0x7f.0.0.1" are addresses to some parsers, never to an allow-list. */
function ipVersion(address: string): 4 | 6 | 0 {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return 4;
  if (!address.includes("%") && ipaddr.IPv6.isValid(address)) return 6;
  return 0;
}

/**
 * A CIDR block ("203.0.113.0/24", "2001:db8::/32") or a single address, in a normal form, or null when
 * it is not one. Pure, so the console's forms check blocks with the same rule as the server.
 */
export function normaliseCidr(input: string): string | null {
  const [address, prefixText, ...rest] = input.trim().split("/");
  if (!address || rest.length > 0) return null;
  const version = ipVersion(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  return `${address.toLowerCase()}/${prefix}`;
}
