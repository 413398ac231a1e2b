import { describe, expect, it } from "vitest";
import { safeReturnTo, signInPath } from "./return-to";

describe("return path after sign-in", () => {
  it.each([
    ["/extension/connect?code=BCDF-GHJK", "/extension/connect?code=BCDF-GHJK"],
    ["/grants/gr_1", "/grants/gr_1"],
    ["/a/./b/../c", "/a/c"],
    ["/..", "/"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/x#fragment", "/x"],
  ])("keeps a path of this site: %j → %j", (input, expected) => {
    expect(safeReturnTo(input)).toBe(expected);
  });

  it("builds the sign-in link with the path encoded", () => {
    expect(signInPath("/extension/connect?code=BCDF-GHJK")).toBe("/sign-in?next=%2Fextension%2Fconnect%3Fcode%3DBCDF-GHJK");
  });

  it.each([
    "//evil.example/x",
    "///evil.example/x",
    "https://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "/.//evil.example/x",
    "/./\\evil.example",
    "/a/..//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\u0000/evil.example",
    " //evil.example",
    "javascript:alert(1)",
    "evil",
    "",
    `/${"a".repeat(600)}`,
  ])("refuses what leaves the site: %j", (input) => {
    expect(safeReturnTo(input)).toBeNull();
  });

  it("refuses what is not text", () => {
    for (const bad of [null, undefined, 42, ["/x"], { path: "/x" }]) expect(safeReturnTo(bad), String(bad)).toBeNull();
    expect(signInPath("//evil.example")).toBe("/sign-in");
    expect(signInPath("/.//evil.example")).toBe("/sign-in");
  });
});
