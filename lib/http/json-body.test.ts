import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { MAX_BODY_BYTES, readJsonBody } from "./json-body";

function post(body: BodyInit | null, headers: Record<string, string> = { "content-type": "application/json" }) {
  return new Request("http://localhost/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("reading a JSON request body", () => {
  it("parses JSON, its text checked and in NFC, and keeps the raw text for idempotency", async () => {
    const raw = JSON.stringify({ name: "Cafe\u0301" });
    expect(await readJsonBody(post(raw))).toEqual({ raw, value: { name: "Caf\u00e9" } });
    expect(await readJsonBody(post(raw, { "content-type": "application/json; charset=UTF-8" }))).toMatchObject({ value: { name: "Caf\u00e9" } });
    expect(await readJsonBody(post(raw, { "content-type": "application/merge-patch+json" }))).toMatchObject({ value: { name: "Caf\u00e9" } });
  });

  it("answers no body with undefined, for the schema to judge", async () => {
    expect(await readJsonBody(post(null, {}))).toEqual({ raw: "", value: undefined });
    expect(await readJsonBody(post(new Uint8Array(), {}))).toEqual({ raw: "", value: undefined });
    expect(await readJsonBody(post(""))).toEqual({ raw: "", value: undefined });
  });

  it("refuses what is not JSON with 415 before reading it", async () => {
    for (const type of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "application/jsonx"]) {
      expect(await refusal(readJsonBody(post('{"a":1}', { "content-type": type }))), type).toMatchObject({ status: 415, code: "unsupported_media_type", field: "body" });
    }
    expect(await refusal(readJsonBody(post('{"a":1}', {})))).toMatchObject({ status: 415 });
  });

  it("refuses a declared length over the limit without reading, and cuts a stream that runs past it", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(new TextEncoder().encode(" ".repeat(16 * 1024)));
      },
    });
    expect(await refusal(readJsonBody(post(endless, { "content-type": "application/json", "content-length": String(MAX_BODY_BYTES + 1) })))).toMatchObject({ status: 413 });
    expect(pulled).toBeLessThanOrEqual(1);
    expect(await refusal(readJsonBody(post(endless)))).toMatchObject({ status: 413, code: "payload_too_large" });
    expect(pulled).toBeLessThan(10);
    expect(await readJsonBody(post(`"${"a".repeat(MAX_BODY_BYTES - 2)}"`))).toMatchObject({ value: "a".repeat(MAX_BODY_BYTES - 2) });
  });

  it("refuses bytes that are not UTF-8, and text that is not JSON, with 400", async () => {
    expect(await refusal(readJsonBody(post(new Uint8Array([0x22, 0xff, 0x22]))))).toMatchObject({ status: 400, message: expect.stringContaining("UTF-8") });
    expect(await refusal(readJsonBody(post("{nope")))).toMatchObject({ status: 400, code: "bad_request" });
  });

  it("refuses a lone surrogate or NUL sent as a JSON escape with 422 naming the field", async () => {
    expect(await refusal(readJsonBody(post('{"justification":"x\\ud800y"}')))).toMatchObject({ status: 422, field: "justification" });
    expect(await refusal(readJsonBody(post('{"customerId":"cus_\\u0000"}')))).toMatchObject({ status: 422, field: "customerId" });
  });
});
