import { request as httpsRequest } from "node:https";

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export interface HttpRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as `application/x-www-form-urlencoded`. */
  form?: Record<string, string>;
  body?: string;
}

/**
 * A minimal HTTPS client for the emulator's own tests: trusts exactly the emulator's CA (verification stays on),
 * never follows redirects, so tests can read `Location`.
 */
export function createHttpsClient(caCert: string) {
  return function send(url: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
    const headers: Record<string, string> = { ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    } else if (options.form) {
      body = new URLSearchParams(options.form).toString();
      headers["content-type"] ??= "application/x-www-form-urlencoded";
    }
    return new Promise((resolve, reject) => {
      const req = httpsRequest(url, { method: options.method ?? (body === undefined ? "GET" : "POST"), headers, ca: caCert }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ status: res.statusCode ?? 0, headers: flat, text, json: <T>() => JSON.parse(text) as T });
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  };
}

export type HttpsClient = ReturnType<typeof createHttpsClient>;
