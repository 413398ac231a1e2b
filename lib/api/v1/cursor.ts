import { z } from "zod";
import { AppError } from "@/lib/errors";

/**
 * Opaque cursors: base64url(JSON). Clients must not build them; the server checks the shape and the
 * list it belongs to ("k"), so a cursor of one list is refused by another (422, field "cursor").
 */
const cursorShape = z.object({ k: z.string().max(20), o: z.number().int().min(0).max(1_000_000).optional(), s: z.number().int().positive().optional() });
export type Cursor = z.infer<typeof cursorShape>;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), "utf8").toString("base64url");
}

export function decodeCursor(raw: string | undefined, kind: string): Cursor | null {
  if (raw === undefined || raw === "") return null;
  const invalid = () => new AppError("validation_failed", "cursor: not a cursor this list issued.", { field: "cursor" });
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(raw)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  const c = cursorShape.safeParse(parsed);
  if (!c.success || c.data.k !== kind) throw invalid();
  return c.data;
}

/** Offset pages over a list the service returns whole (customers, access levels, tokens: small sets). */
export function pageOf<T>(items: readonly T[], kind: string, cursor: string | undefined, limit: number): { items: T[]; nextCursor: string | null } {
  const offset = decodeCursor(cursor, kind)?.o ?? 0;
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? encodeCursor({ k: kind, o: offset + limit }) : null;
  return { items: slice, nextCursor: next };
}
