import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { ErrorBody } from "@/lib/errors";

/**
 * What the web server refuses before Next sees a request, with the one error envelope. Next cannot answer
 * these itself: TRACE, TRACK and CONNECT are forbidden methods for a Fetch Request, so building the
 * request for proxy.ts throws (500); a path that is not percent-encoded UTF-8 fails Next's router (500);
 * and a control character in the path or query would reach pages and services (NUL cannot be stored).
 */
const ALLOWED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

const CONTROL = /[\u0000-\u001f\u007f]/;

type Refusal = { status: 400 | 405; body: ErrorBody; headers?: Record<string, string> };

function decodes(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}

export function requestLineRefusal(method: string | undefined, url: string | undefined): Refusal | null {
  if (!method || !(ALLOWED_METHODS as readonly string[]).includes(method)) {
    return {
      status: 405,
      body: { error: { code: "method_not_allowed", message: `The ${method ?? "missing"} method is not supported.` } },
      headers: { Allow: ALLOWED_METHODS.join(", ") },
    };
  }
  const target = url ?? "/";
  const queryAt = target.indexOf("?");
  const path = queryAt < 0 ? target : target.slice(0, queryAt);
  const query = queryAt < 0 ? "" : target.slice(queryAt + 1).replace(/\+/g, " ");
  const decodedPath = decodes(path);
  if (decodedPath === null || CONTROL.test(decodedPath)) {
    return { status: 400, body: { error: { code: "bad_request", message: "The path is not valid percent-encoded UTF-8 text.", field: "path" } } };
  }
  // Each name and value on its own: a "%26" inside a value is text, not a separator.
  const parts = query.split("&").flatMap((pair) => pair.split("="));
  if (parts.some((part) => { const text = decodes(part); return text === null || CONTROL.test(text); })) {
    return { status: 400, body: { error: { code: "bad_request", message: "The query string is not valid percent-encoded UTF-8 text.", field: "query" } } };
  }
  return null;
}

/** Answers a refused request with the envelope; returns false when the request may go on to Next. */
export function refuseRequestLine(method: string | undefined, url: string | undefined, res: ServerResponse): boolean {
  const refusal = requestLineRefusal(method, url);
  if (!refusal) return false;
  res.writeHead(refusal.status, { "Content-Type": "application/json", "Cache-Control": "no-store", ...refusal.headers });
  res.end(JSON.stringify(refusal.body));
  return true;
}

/**
 * Node's answer to a request it cannot parse at all (an unknown method such as TRACK, a malformed request
 * line or header), in the envelope rather than a bare 400.
 */
export function answerUnparsable(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code: "bad_request", message: "The request could not be parsed." } } satisfies ErrorBody);
  socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
