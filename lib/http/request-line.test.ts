import { createServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { answerUnparsable, requestLineRefusal } from "./request-line";

describe("what the web server refuses before Next", () => {
  it.each(["TRACE", "TRACK", "CONNECT", "PROPFIND", "FOO", undefined])("the %s method: 405 with the envelope and Allow", (method) => {
    const refusal = requestLineRefusal(method, "/sign-in");
    expect(refusal).toMatchObject({ status: 405, body: { error: { code: "method_not_allowed" } }, headers: { Allow: "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS" } });
  });

  it.each(["/api/v1/grants/%ff", "/grants/%c0%af", "/%ED%A0%80", "/grants/%00", "/api/v1/grants/gr_%0a", "/x/%7f", "/%"])("the path %s: 400", (url) => {
    expect(requestLineRefusal("GET", url)).toMatchObject({ status: 400, body: { error: { code: "bad_request", field: "path" } } });
  });

  it.each(["/audit?action=%00", "/api/v1/audit-events?actor=%ff", "/x?a=1&b=%1b", "/x?%00=1", "/x?a=%"])("the query %s: 400", (url) => {
    expect(requestLineRefusal("GET", url)).toMatchObject({ status: 400, body: { error: { code: "bad_request", field: "query" } } });
  });

  it.each(["/", "/sign-in?next=%2Foverview", "/grants/gr_1", "/api/v1/grants?limit=10&state=active", "/caf%C3%A9?q=%F0%9F%98%80+x", "/x?a=%26%3D&b", "/x?"])(
    "lets %s through",
    (url) => {
      for (const method of ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]) expect(requestLineRefusal(method, url), `${method} ${url}`).toBeNull();
    },
  );
});

describe("a request Node cannot parse", () => {
  it("is answered with the envelope, not a bare 400", async () => {
    const server = createServer((_req, res) => res.end("reached")).on("clientError", answerUnparsable);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = connect((server.address() as AddressInfo).port, "127.0.0.1", () => socket.write("TRACK / HTTP/1.1\r\nHost: x\r\n\r\n"));
        let text = "";
        socket.on("data", (chunk) => (text += chunk)).on("end", () => resolve(text)).on("error", reject);
      });
      expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(answer).toContain("Content-Type: application/json");
      expect(JSON.parse(answer.slice(answer.indexOf("\r\n\r\n") + 4))).toEqual({ error: { code: "bad_request", message: "The request could not be parsed." } });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
