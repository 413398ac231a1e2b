/** What a handler answers; the server (or a JSON batch) turns it into a response. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless `text` is given. */
  json?: unknown;
  text?: string;
}

export function jsonReply(status: number, json: unknown, headers: Record<string, string> = {}): Reply {
  return { status, json, headers };
}

export function htmlReply(status: number, html: string): Reply {
  return { status, text: html, headers: { "content-type": "text/html; charset=utf-8" } };
}

export function redirectReply(location: string): Reply {
  return { status: 302, headers: { location } };
}

export function emptyReply(status: number, headers: Record<string, string> = {}): Reply {
  return { status, headers };
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
