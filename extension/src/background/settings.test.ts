import { describe, expect, it } from "vitest";
import { deviceLabel } from "./device-label";
import { normaliseServerUrl } from "./settings";

describe("normaliseServerUrl", () => {
  it("keeps the origin of an https address, adding https:// when it was left out", () => {
    expect(normaliseServerUrl("https://stint.example.com/console/overview")).toBe("https://stint.example.com");
    expect(normaliseServerUrl("  stint.example.com  ")).toBe("https://stint.example.com");
    expect(normaliseServerUrl("https://stint.example.com:8443")).toBe("https://stint.example.com:8443");
  });
  it("allows plain http only on this computer", () => {
    expect(normaliseServerUrl("http://localhost:3000")).toBe("http://localhost:3000");
    expect(normaliseServerUrl("http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000");
    expect(normaliseServerUrl("http://stint.example.com")).toBeNull();
  });
  it("refuses other schemes, credentials in the address and garbage", () => {
    expect(normaliseServerUrl("ftp://stint.example.com")).toBeNull();
    expect(normaliseServerUrl("javascript:alert(1)")).toBeNull();
    expect(normaliseServerUrl("https://user:pass@stint.example.com")).toBeNull();
    expect(normaliseServerUrl("https://")).toBeNull();
  });
});

describe("deviceLabel", () => {
  it("names the browser and the system", () => {
    expect(deviceLabel("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36")).toBe("Chrome on Linux");
    expect(deviceLabel("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36 Edg/156.0.0.0")).toBe(
      "Edge on Windows",
    );
    expect(deviceLabel("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36")).toBe("Chrome on macOS");
    expect(deviceLabel("curl/8")).toBe("Browser on an unknown system");
  });
});
