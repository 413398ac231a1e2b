import { BlockList, isIP } from "node:net";

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
