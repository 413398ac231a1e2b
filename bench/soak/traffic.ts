import type postgres from "postgres";
import { finalStates } from "@/lib/grants/states";
import type { GrantState } from "@/lib/vocabulary/grant-states";
import { enqueue, queue } from "@/lib/queue/producer";
import { endGrant } from "@/lib/services/grants/end";
import { GrantDenied, requestGrant } from "@/lib/services/grants/request";
import { scheduleExpiry } from "@/lib/services/grants/schedule";
import { contextFor, type TestMember } from "@/test/factories";
import type { BenchCustomer, BenchMsp } from "../fixtures";
import { sleep } from "../stats";
import type { TenantKind, TenantPlan } from "./scenarios";
import { ENDED_BY_TECHNICIAN_EVERY, HOLD_MIN_MS, HOLD_SPREAD_MS, REQUEST_WINDOW_MS } from "./settings";

export type SoakCustomer = BenchCustomer & { plan: TenantPlan };

export type PlannedGrant = {
  grantId: string;
  tenantId: string;
  tenantLabel: string;
  kind: TenantKind;
  requestedAt: number;
  endMode: "expires" | "ended_by_technician";
  /** When its access is to end, set once Stint shows it active. */
  endAt: number | null;
  /** When its end actually came: the moved ends_at, or the moment its technician ended it. */
  endRef: number | null;
  technician: TestMember;
};

export type GrantRow = {
  id: string;
  state: GrantState;
  usable_from: Date | null;
  ends_at: Date | null;
  expiry_started_at: Date | null;
  usable_to: Date | null;
  failure_reason: string | null;
};

export type Refusal = { tenantLabel: string; at: number; reason: string };

/** A forced-failure grant starts this long after its request, time enough to replace its provisioning job. */
const FORCED_START_DELAY_MS = 3_000;

/**
 * The technicians' side of a scenario: grants requested through the services as the console would, each
 * ended 15–35 s after Stint shows it active (its end moved closer in Postgres and its timer re-armed, as an
 * extension does; every tenth ended early by its technician instead), and Stint's rows read as they change.
 */
export class Traffic {
  readonly grants = new Map<string, PlannedGrant>();
  readonly refusals: Refusal[] = [];
  readonly errors: string[] = [];
  rows = new Map<string, GrantRow>();
  requestsDoneAt: number | null = null;
  private asked = 0;

  constructor(
    private readonly bench: BenchMsp,
    private readonly customers: SoakCustomer[],
    private readonly sql: postgres.Sql,
  ) {}

  /** Every tenant's grants, one per technician, spread over the request window and interleaved across tenants. */
  async requestAll(): Promise<void> {
    const pairs: { technician: TestMember; customer: SoakCustomer }[] = [];
    const most = Math.max(...this.customers.map((c) => c.plan.grants));
    for (let t = 0; t < most; t++) for (const customer of this.customers) if (t < customer.plan.grants) pairs.push({ technician: this.bench.technicians[t]!, customer });
    const spacing = REQUEST_WINDOW_MS / pairs.length;
    const started = Date.now();
    for (const [i, { technician, customer }] of pairs.entries()) {
      await sleep(started + i * spacing - Date.now());
      await this.ask(technician, customer);
    }
    this.requestsDoneAt = Date.now();
  }

  /** One request through requestGrant; a refusal is recorded with the policy's reasons. */
  async ask(technician: TestMember, customer: SoakCustomer): Promise<void> {
    const kind = customer.plan.kind;
    const index = this.asked++;
    const startAt = kind === "final-attempt" ? new Date(Date.now() + FORCED_START_DELAY_MS) : undefined;
    try {
      const grant = await requestGrant(contextFor(technician), {
        customerId: customer.customerId,
        accessLevelIds: [this.bench.accessLevelId],
        durationMinutes: 15,
        justification: "Soak: fault-matrix run against the emulator",
        ticketRef: "SOAK",
        startAt,
      });
      if (startAt) await forceFinalAttempt(grant.id, grant.mspId, startAt);
      this.grants.set(grant.id, {
        grantId: grant.id,
        tenantId: customer.tenantId,
        tenantLabel: customer.plan.label,
        kind,
        requestedAt: startAt?.getTime() ?? Date.now(),
        endMode: kind === "normal" && index % ENDED_BY_TECHNICIAN_EVERY === 3 ? "ended_by_technician" : "expires",
        endAt: null,
        endRef: null,
        technician,
      });
    } catch (err) {
      if (!(err instanceof GrantDenied)) throw err;
      this.refusals.push({ tenantLabel: customer.plan.label, at: Date.now(), reason: err.message });
    }
  }

  /** Reads Stint's rows; gives newly active grants their end; ends the grants whose technician's time has come. */
  async tick(): Promise<void> {
    const rows = await this.sql<GrantRow[]>`select id, state, usable_from, ends_at, expiry_started_at, usable_to, failure_reason from grants`;
    this.rows = new Map(rows.map((r) => [r.id, r]));
    const now = Date.now();
    for (const planned of this.grants.values()) {
      const row = this.rows.get(planned.grantId);
      if (!row) continue;
      if (planned.endAt === null && row.state === "active") {
        planned.endAt = now + HOLD_MIN_MS + (hash(planned.grantId) % HOLD_SPREAD_MS);
        if (planned.endMode === "expires") await this.moveEnd(planned, row);
      }
      if (planned.endMode === "ended_by_technician" && planned.endAt !== null && planned.endRef === null && now >= planned.endAt) {
        planned.endRef = now;
        await endGrant(contextFor(planned.technician), planned.grantId, "ended_by_technician").catch((err: unknown) => {
          this.errors.push(`ending ${planned.grantId}: ${err instanceof Error ? err.message : String(err)}`);
        });
      }
    }
  }

  count(predicate: (planned: PlannedGrant, row: GrantRow | undefined) => boolean): number {
    let n = 0;
    for (const planned of this.grants.values()) if (predicate(planned, this.rows.get(planned.grantId))) n += 1;
    return n;
  }

  allFinal(): boolean {
    return this.count((_, row) => !row || !finalStates.includes(row.state)) === 0;
  }

  /** The latest moment anything was requested or is planned to end. */
  lastEvent(): number {
    let last = this.requestsDoneAt ?? Date.now();
    for (const planned of this.grants.values()) if (planned.endAt !== null) last = Math.max(last, planned.endAt);
    return last;
  }

  private async moveEnd(planned: PlannedGrant, row: GrantRow): Promise<void> {
    const endsAt = new Date(planned.endAt!);
    const moved = await this.sql`update grants set ends_at = ${endsAt}, updated_at = now() where id = ${row.id} and state = 'active' returning id`;
    if (moved.length === 0) return;
    await scheduleExpiry({ id: row.id, mspId: this.bench.msp.mspId, endsAt });
    planned.endRef = endsAt.getTime();
  }
}

/**
 * Replaces a scheduled grant's provisioning job by one whose first attempt is its last, so a transient
 * failure fails the grant and its clean-up runs. Found by its data, not by the product's job id.
 */
async function forceFinalAttempt(grantId: string, mspId: string, startAt: Date): Promise<void> {
  const provisioning = queue("provisioning");
  const jobs = (await provisioning.getDelayed()).filter((j) => j.data?.grantId === grantId);
  if (jobs.length !== 1) throw new Error(`expected one delayed provisioning job for ${grantId}, found ${jobs.length}`);
  const job = jobs[0]!;
  await job.remove();
  await enqueue("grant.provision", { mspId, grantId }, { jobId: job.id, delay: Math.max(0, startAt.getTime() - Date.now()), attempts: 1 });
}

/** A stable spread of hold times per grant. */
function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h;
}
