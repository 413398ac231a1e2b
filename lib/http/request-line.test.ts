import { describe, expect, it } from "vitest";
import { requestLineRefusal } from "./request-line";

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
