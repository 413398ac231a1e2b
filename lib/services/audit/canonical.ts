import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every depth, so a row hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
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
