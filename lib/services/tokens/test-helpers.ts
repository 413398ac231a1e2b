import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { apiTokens } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import type { RequestInfo } from "@/lib/services/context";
import { steppedUpContext, type TestMember } from "@/test/factories";
import { createToken } from "./create";
import type { CreateTokenInput } from "./schemas";

/**
 * A documentation-range IPv6 address (2001:db8::/32) new on every call: the failure limits live in
 * the shared Redis for minutes, so suites (and reruns) must not share a client address by accident.
 */
export function freshIp(network = `2001:db8:${hexGroup()}`): string {
  const groups = Array.from({ length: 8 - network.split(":").length }, hexGroup);
  return [network, ...groups].join(":");
}

function hexGroup(): string {
  return randomBytes(2).toString("hex");
}

export function requestFrom(ip = freshIp()): RequestInfo {
  return { ip, userAgent: "vitest token client" };
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

export function basic(username: string, token: string): string {
  return `Basic ${Buffer.from(`${username}:${token}`).toString("base64")}`;
}

export async function newToken(member: TestMember, input: Partial<CreateTokenInput> = {}) {
  return createToken(await steppedUpContext(member), { name: "Test token", scopes: ["grants:read"], expiresInDays: 30, ...input });
}

export async function tokenRow(id: string) {
  const [row] = await systemTxBypassingRls((tx) => tx.select().from(apiTokens).where(eq(apiTokens.id, id)));
  return row!;
}

export async function setTokenRow(id: string, values: Partial<typeof apiTokens.$inferInsert>) {
  await systemTxBypassingRls((tx) => tx.update(apiTokens).set(values).where(eq(apiTokens.id, id)));
}
