import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/**
 * A string as Postgres holds it: text and jsonb are UTF-8, so a lone UTF-16 surrogate is stored as U+FFFD
 * (the driver encodes it so), and NUL, which neither can hold, is written as U+FFFD too (record.ts).
 * The hash is taken over this form, so an event hashes the same when written and when read back, even
 * if text that is not well-formed got past the edge. Deliberately no NFC here: rows written earlier were
 * hashed as they were stored, and normalising now would report them as altered; record.ts normalises
 * new events before they are hashed and stored.
 */
export function storedText(text: string): string {
  return text.toWellFormed().replace(/\u0000/g, "\ufffd");
}

/** JSON with object keys sorted at every depth, so a row hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(storedText(value));
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [storedText(k), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

export type ChainedFields = {
  mspId: string;
  seq: number;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  actorLabel: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetLabel: string | null;
  result: string;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
  metadata: Record<string, unknown>;
};

export function chainHash(prevHash: string, event: ChainedFields): string {
  const body = canonicalJson({ ...event, occurredAt: event.occurredAt.toISOString() });
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}
