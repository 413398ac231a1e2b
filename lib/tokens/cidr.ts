import { BlockList, isIP } from "node:net";

/**
 * A CIDR block ("203.0.113.0/24", "2001:db8::/32") or a single address, in a normal form, or null when
 * it is not one. node:net's BlockList does the address arithmetic (and refuses what it cannot parse).
 */
export function normaliseCidr(input: string): string | null {
  const [address, prefixText, ...rest] = input.trim().split("/");
  if (!address || rest.length > 0) return null;
  const version = isIP(address);
  if (version === 0) return null;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return null;
  try {
    new BlockList().addSubnet(address, prefix, version === 4 ? "ipv4" : "ipv6");
  } catch {
    return null;
  }
  return `${address.toLowerCase()}/${prefix}`;
}

/** An IPv4 address written as IPv6 (::ffff:203.0.113.7, as dual-stack sockets report it) becomes plain IPv4. */
function unmapped(ip: string): string {
  const m = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return m ? m[1]! : ip;
}

/** Whether `ip` lies in one of the (normalised) blocks. No address, or an unparsable one, is never inside. */
export function ipInCidrs(ip: string | null, cidrs: readonly string[]): boolean {
  if (!ip) return false;
  const address = unmapped(ip.trim());
  const version = isIP(address);
  if (version === 0) return false;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [net, prefix] = cidr.split("/");
    const v = isIP(net!);
    if (v === 0) continue;
    list.addSubnet(net!, Number(prefix), v === 4 ? "ipv4" : "ipv6");
  }
  return list.check(address, version === 4 ? "ipv4" : "ipv6");
}
