import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { requireSetupCode } from "./code";

const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? { code: err.code, field: err.field } : err;
  }
  return null;
};

describe("the setup code", () => {
  it("accepts the code however it is typed: case, spaces and dashes do not matter", () => {
    for (const typed of ["BCDF-GHJK-LMNP-QRST", "bcdf-ghjk-lmnp-qrst", " BCDFGHJK LMNPQRST "]) {
      expect(refusal(() => requireSetupCode(typed, "BCDF-GHJK-LMNP-QRST"))).toBeNull();
    }
  });

  it("refuses a wrong, partial, longer or empty code, naming the field", () => {
    for (const typed of ["BCDF-GHJK-LMNP-QRSV", "BCDF-GHJK-LMNP", "BCDF-GHJK-LMNP-QRST-B", ""]) {
      expect(refusal(() => requireSetupCode(typed, "BCDF-GHJK-LMNP-QRST"))).toEqual({ code: "forbidden", field: "setupCode" });
    }
  });

  it("keeps setup locked when no code is configured", () => {
    expect(refusal(() => requireSetupCode("anything", undefined))).toEqual({ code: "forbidden", field: undefined });
    expect(refusal(() => requireSetupCode("", ""))).toEqual({ code: "forbidden", field: undefined });
  });
});
