import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { cleanFields, cleanJson, textProblem } from "./clean-input";

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("not refused");
}

describe("text that enters through HTTP", () => {
  it("is refused when it holds a lone surrogate or a control character", () => {
    for (const bad of ["\ud800", "a\udfffb", "\ude00\ud83d", "nul\u0000", "bell\u0007", "esc\u001b[31m", "del\u007f", "vt\u000b", "ff\u000c"]) {
      expect(textProblem(bad), JSON.stringify(bad)).not.toBeNull();
    }
    for (const good of ["plain", "tab\tline\nreturn\r", "emoji \ud83d\ude00", "Caf\u00e9", "\u00a0nbsp", "\ufffd", ""]) expect(textProblem(good), JSON.stringify(good)).toBeNull();
  });

  it("comes out in NFC, values and keys, at any depth", () => {
    const nfd = "Cafe\u0301";
    expect(cleanJson({ [nfd]: [nfd, { deep: nfd }], n: 1, b: true, z: null })).toEqual({ "Caf\u00e9": ["Caf\u00e9", { deep: "Caf\u00e9" }], n: 1, b: true, z: null });
    expect(cleanFields({ grantId: `gr_${nfd}` })).toEqual({ grantId: "gr_Caf\u00e9" });
  });

  it("names the field at fault: the dotted path in a body, the name in params and queries", () => {
    const body = refusal(() => cleanJson({ subject: { username: "ok", token: "x\u0000" } }));
    expect(body).toMatchObject({ status: 422, code: "validation_failed", field: "subject.token" });
    expect(refusal(() => cleanJson({ accessLevelIds: ["a", "\ud800"] }))).toMatchObject({ field: "accessLevelIds.1" });
    expect(refusal(() => cleanJson({ ["k\u0000"]: 1 }))).toMatchObject({ field: "k\u0000" });
    expect(refusal(() => cleanJson("\ud800"))).toMatchObject({ field: "body" });
    expect(refusal(() => cleanFields({ grantId: "gr_\u0000" }))).toMatchObject({ status: 422, field: "grantId" });
  });

  it("keeps a __proto__ key as data, never as a prototype", () => {
    const cleaned = cleanJson(JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(cleaned)).toBe(Object.prototype);
    expect(Object.keys(cleaned)).toEqual(["__proto__"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
