import type postgres from "postgres";
import { revealCredential } from "@/lib/services/grants/reveal-credential";
import { steppedUpContext } from "@/test/factories";
import { emulator } from "./emulator-client";
import { idleGaps, inFlight } from "./fetch-trace";
import { createConnectedCustomer, createTenant, requestBenchGrant, type BenchMsp } from "./fixtures";
import { DirectGraph, type MadeAccount } from "./floor";
import type { Harness } from "./harness";
import { FLOOR_SAMPLES, GRANT_ROLES, LATENCY_GRANTS } from "./settings";
import { summary, type Summary } from "./stats";

export type LatencyResult = {
  grants: number;
  /** requestGrant() returned → the provisioning job returned with the grant active. */
  toActive: Summary;
  /** requestGrant() returned → the grant's usable_from (stamped in the transaction that made it active). */
  toUsableFrom: Summary;
  /** requestGrant() returned → the provisioning job started (BullMQ pick-up). */
  pickup: Summary;
  /** Of toActive: wall time with at least one Graph (or token) call in flight, and the rest (Stint's own work). */
  inGraph: Summary;
  outsideGraph: Summary;
  floorInGraph: Summary;
  /**
   * Stint's own time, where it falls: the p50 of each idle stretch between Graph calls, in order (before the
   * first call, after each of the five sequential Graph stages). Null when the grants' call patterns differ.
   */
  gapsP50: number[] | null;
  /** The password-only sequence of before (5 round trips): the yardstick, p50 ≤ 1.0×. */
  floor: Summary;
  /** Today's minimal sequence with the pass (4 round trips). */
  passFloor: Summary;
  expiryFloor: Summary;
  floorCalls: number;
  stintCallsPerGrant: number;
  stintWritesPerGrant: number;
  stintLoginCalls: number;
  stintRoutes: Record<string, number>;
  emulatorHandlingMs: number;
  revealed: number;
  revealMismatches: number;
};

/**
 * 1. Request → usable credential, one grant at a time on one customer, against the floor: the same Graph
 * calls sent straight to the emulator (bench/floor.ts). Both have a cached token; one warm-up each.
 */
export async function measureLatency(bench: BenchMsp, harness: Harness, sql: postgres.Sql): Promise<LatencyResult> {
  // The floors, on their own tenant so the call counts stay apart: the password-only sequence Stint made
  // before passes, and today's sequence with the pass, interleaved so both meet the same machine.
  const floorTenant = await createTenant("floor");
  const direct = await DirectGraph.forTenant(floorTenant.tenantId);
  await direct.provisionPasswordOnly(`floor-warmup@${floorTenant.domain}`);
  await direct.provisionWithPass(`floor-pass-warmup@${floorTenant.domain}`);
  const floorTimes: number[] = [];
  const passFloorTimes: number[] = [];
  const floorInGraph: number[] = [];
  const floorAccounts: MadeAccount[] = [];
  let passFloorCalls = 0;
  for (let i = 0; i < FLOOR_SAMPLES; i++) {
    const t0 = Date.now();
    const { ms, made } = await direct.provisionWithPass(`floor-pass-${i}-${Date.now().toString(36)}@${floorTenant.domain}`);
    const t1 = Date.now();
    floorInGraph.push(inFlight(t0, t1).ms);
    passFloorTimes.push(ms);
    floorAccounts.push(made);
    passFloorCalls += (await emulator.stats({ tenantIds: [floorTenant.tenantId], from: t0, to: Date.now() })).graph;
    floorTimes.push((await direct.provisionPasswordOnly(`floor-${i}-${Date.now().toString(36)}@${floorTenant.domain}`)).ms);
  }
  const expiryFloor: number[] = [];
  for (const made of floorAccounts.slice(0, Math.ceil(FLOOR_SAMPLES / 2))) expiryFloor.push(await direct.expire(made));

  // Stint: technician 0 warms up (token, authority metadata, JIT), then one grant per technician.
  const customer = await createConnectedCustomer(bench, "latency");
  const [warmup, ...technicians] = bench.technicians.slice(0, LATENCY_GRANTS + 1);
  const warm = await requestBenchGrant(bench, warmup!, customer);
  await harness.waitProvisioned(warm.id);

  const from = Date.now();
  const rows: { id: string; technician: (typeof technicians)[number]; returnedAt: number; activeAt: number; state: string; inGraph: number; gaps: number[] }[] = [];
  for (const technician of technicians) {
    const grant = await requestBenchGrant(bench, technician, customer);
    const returnedAt = Date.now();
    const done = await harness.waitProvisioned(grant.id);
    rows.push({ id: grant.id, technician, returnedAt, activeAt: done.finishedAt, state: done.state, inGraph: inFlight(returnedAt, done.finishedAt).ms, gaps: idleGaps(returnedAt, done.finishedAt) });
  }
  const to = Date.now();
  const stint = await emulator.stats({ tenantIds: [customer.tenantId], from, to });

  const db = await sql<{ id: string; usable_from: Date | null; state: string }[]>`select id, usable_from, state from grants where id = any(${rows.map((r) => r.id)})`;
  const usableFrom = new Map(db.map((r) => [r.id, r.usable_from?.getTime() ?? Number.NaN]));

  // The credential is usable: reveal it (fresh step-up) and compare with the pass Entra holds, usable.
  const tenant = await emulator.inspectTenant(customer.tenantId);
  let revealed = 0;
  let revealMismatches = 0;
  for (const row of rows) {
    const credential = await revealCredential(await steppedUpContext(row.technician), row.id);
    const user = tenant.users.find((u) => u.userPrincipalName === credential.userPrincipalName);
    const roles = new Set(user?.roles ?? []);
    const pass = user?.temporaryAccessPass;
    const passOk = credential.signInMethod === "tap" && pass?.isUsable === true && pass.temporaryAccessPass === credential.temporaryAccessPass;
    if (user && passOk && user.accountEnabled && GRANT_ROLES.every((r) => roles.has(r))) revealed += 1;
    else revealMismatches += 1;
  }
  const notActive = rows.filter((r) => r.state !== "active").length;
  if (notActive) console.error(`bench: ${notActive} latency grant(s) did not become active`);

  return {
    grants: rows.length,
    toActive: summary(rows.map((r) => r.activeAt - r.returnedAt)),
    toUsableFrom: summary(rows.map((r) => usableFrom.get(r.id)! - r.returnedAt)),
    pickup: summary(rows.map((r) => (harness.provisionStarts.get(r.id) ?? Number.NaN) - r.returnedAt)),
    inGraph: summary(rows.map((r) => r.inGraph)),
    outsideGraph: summary(rows.map((r) => r.activeAt - r.returnedAt - r.inGraph)),
    floorInGraph: summary(floorInGraph),
    gapsP50: rows.every((r) => r.gaps.length === rows[0]!.gaps.length)
      ? rows[0]!.gaps.map((_, i) => summary(rows.map((r) => r.gaps[i]!)).p50)
      : null,
    floor: summary(floorTimes),
    passFloor: summary(passFloorTimes),
    expiryFloor: summary(expiryFloor),
    floorCalls: passFloorCalls / FLOOR_SAMPLES,
    stintCallsPerGrant: stint.graph / rows.length,
    stintWritesPerGrant: stint.writesAdmitted / rows.length,
    stintLoginCalls: stint.login,
    stintRoutes: stint.byRoute,
    emulatorHandlingMs: stint.meanHandlingMs,
    revealed,
    revealMismatches,
  };
}
