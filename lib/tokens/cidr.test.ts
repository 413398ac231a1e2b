import { describe, expect, it } from "vitest";
import { ipInCidrs } from "./cidr";
import { normaliseCidr } from "./cidr-format";

describe("CIDR allow-lists", () => {
  it("normalises blocks and single addresses, IPv4 and IPv6", () => {
    expect(normaliseCidr("203.0.113.0/24")).toBe("203.0.113.0/24");
    expect(normaliseCidr(" 198.51.100.7 ")).toBe("198.51.100.7/32");
    expect(normaliseCidr("2001:DB8::/32")).toBe("2001:db8::/32");
    expect(normaliseCidr("::1")).toBe("::1/128");
    expect(normaliseCidr("0.0.0.0/0")).toBe("0.0.0.0/0");
  });

  it("refuses what is not an address or block", () => {
    for (const bad of ["", "example.com", "203.0.113.0/33", "2001:db8::/129", "203.0.113.0/", "203.0.113.0/-1", "256.1.1.1", "1.2.3.4/8/8", "1.2.3.4/ 8"]) {
      expect(normaliseCidr(bad), bad).toBeNull();
    }
  });

  it("checks addresses against the blocks", () => {
    const list = ["203.0.113.0/24", "2001:db8:1::/48"];
    expect(ipInCidrs("203.0.113.200", list)).toBe(true);
    expect(ipInCidrs("203.0.114.1", list)).toBe(false);
    expect(ipInCidrs("::ffff:203.0.113.9", list)).toBe(true);
    expect(ipInCidrs("2001:db8:1:ffff::1", list)).toBe(true);
    expect(ipInCidrs("2001:db8:2::1", list)).toBe(false);
    expect(ipInCidrs(null, list)).toBe(false);
    expect(ipInCidrs("not an ip", list)).toBe(false);
    expect(ipInCidrs("203.0.113.5", [])).toBe(false);
  });
});
