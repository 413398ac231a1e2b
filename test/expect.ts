import { expect } from "vitest";
import { toErrorBody } from "@/lib/errors";

/** Refused as invalid input: 422 validation_failed naming `field` (and matching `message`), as the API would answer. */
export async function expectValidation(promise: Promise<unknown>, field: string | RegExp, message?: RegExp) {
  const error = await promise.then(
    () => {
      throw new Error("expected validation_failed, but it resolved");
    },
    (e: unknown) => e,
  );
  const { status, body } = toErrorBody(error);
  expect(status, body.error.message).toBe(422);
  expect(body.error.code).toBe("validation_failed");
  if (typeof field === "string") expect(body.error.field).toBe(field);
  else expect(body.error.field).toMatch(field);
  if (message) expect(body.error.message).toMatch(message);
  return body.error;
}
