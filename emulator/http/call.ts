import type { IncomingMessage } from "node:http";

/** An incoming HTTP request, read fully, independent of node's stream objects. */
export interface Call {
  method: string;
  url: URL;
  /** Lower-cased header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** `https://host[:port]` as the client addressed us; issuers and next links are built from it. */
  origin: string;
}

const maxBodyBytes = 4 * 1024 * 1024;

export async function readCall(req: IncomingMessage): Promise<Call> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBodyBytes) throw new Error("request body too large");
    chunks.push(buffer);
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  const origin = `https://${headers.host ?? "localhost"}`;
  return {
    method: (req.method ?? "GET").toUpperCase(),
    url: new URL(req.url ?? "/", origin),
    headers,
    body: Buffer.concat(chunks),
    origin,
  };
}

export function parseForm(call: Call): URLSearchParams {
  return new URLSearchParams(call.body.toString("utf8"));
}
