import type { Redis } from "ioredis";
import type postgres from "postgres";
import { queue } from "@/lib/queue/producer";
import type { TestMember } from "@/test/factories";
import { remoteOps } from "../emulator-client";
import { deleteKeys } from "../redis-keys";
import type { SoakOps } from "./emulator-ops";
import type { Check, Unreachable } from "./judge";
import {
  CONSENT_ASK_AFTER_MS, CONSENT_RESTORE_AFTER_MS, CONSENT_REVOKE_WHEN_ACTIVE, KILL_EVERY_MS, REDIS_LOSS_AGAIN_AFTER_MS, REDIS_LOSS_WHEN_EXPIRING,
} from "./settings";
import type { SoakCustomer, Traffic } from "./traffic";
import type { WorkerPool } from "./worker-pool";

const emulator = remoteOps<SoakOps>();

/** What a scenario does to Stint's surroundings while its grants come and go. */
export interface Disturbance {
  /** Called at every poll of the traffic. */
  tick(traffic: Traffic): Promise<void>;
  /** The scenario is not judged before this moment. */
  settledAt(): number;
  /** Tenants Stint could not reach for a while: ends falling then are timed from the window's close. */
  unreachable(): Unreachable;
  stop(): Promise<void>;
  /** What happened, in sentences, and the checks it adds. */
  account(): { notes: string[]; checks: Check[] };
}

const at = (t: number, origin: number) => `+${((t - origin) / 1000).toFixed(1)} s`;

export class NoDisturbance implements Disturbance {
  async tick(_traffic: Traffic): Promise<void> {}
  settledAt(): number {
    return 0;
  }
  unreachable(): Unreachable {
    return {};
  }
  async stop(): Promise<void> {}
  account(): { notes: string[]; checks: Check[] } {
    return { notes: [], checks: [] };
  }
}

/** SIGKILLs the oldest worker process every few seconds, whatever it is doing, and starts a replacement each time. */
export class WorkerKills extends NoDisturbance {
  private readonly timer: NodeJS.Timeout;
  private readonly replacements: Promise<void>[] = [];
  private readonly failures: string[] = [];

  constructor(private readonly pool: WorkerPool) {
    super();
    this.timer = setInterval(() => {
      this.replacements.push(this.pool.killOldestAndReplace().catch((err: unknown) => void this.failures.push(err instanceof Error ? err.message : String(err))));
    }, KILL_EVERY_MS);
  }

  override async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.replacements);
  }

  override account() {
    const notes = [`${this.pool.kills} worker processes SIGKILLed (the oldest one every ${KILL_EVERY_MS / 1000} s) and replaced at once.`];
    if (this.failures.length) notes.push(`Replacements that did not start: ${this.failures.length} (${this.failures[0]!.slice(0, 200)}).`);
    return { notes, checks: [] };
  }
}

/**
 * Deletes every key under the queue's prefix (jobs, delayed timers, locks, schedules) once enough grants are
 * expiring, and again a little later; then checks the maintenance schedules came back.
 */
export class RedisKeyLoss extends NoDisturbance {
  private readonly deletions: { at: number; keys: number; expiring: number }[] = [];
  private schedulesBefore: string[] = [];
  private schedulesAfter: string[] = [];

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly origin: number,
  ) {
    super();
  }

  override async tick(traffic: Traffic): Promise<void> {
    const expiring = traffic.count((_, row) => row?.state === "expiring");
    const first = this.deletions[0];
    if (!first && expiring >= REDIS_LOSS_WHEN_EXPIRING) {
      this.schedulesBefore = await scheduleIds();
      await this.drop(expiring);
    } else if (first && this.deletions.length === 1 && Date.now() >= first.at + REDIS_LOSS_AGAIN_AFTER_MS) {
      await this.drop(expiring);
    }
  }

  override async stop(): Promise<void> {
    this.schedulesAfter = await scheduleIds();
  }

  override account() {
    const missing = this.schedulesBefore.filter((s) => !this.schedulesAfter.includes(s));
    return {
      notes: [
        this.deletions.length
          ? `Queue keys deleted ${this.deletions.map((d) => `at ${at(d.at, this.origin)} (${d.keys} keys, ${d.expiring} grants expiring)`).join(" and ")}.`
          : `The queue's keys were never deleted: fewer than ${REDIS_LOSS_WHEN_EXPIRING} grants were ever expiring at once.`,
        `Maintenance schedules before: ${this.schedulesBefore.join(", ") || "none"}; at the end: ${this.schedulesAfter.join(", ") || "none"}.`,
      ],
      checks: [
        { label: "keys deleted mid-expiry", met: this.deletions.length > 0, detail: `${this.deletions.length} deletions` },
        { label: "maintenance schedules back", met: this.schedulesBefore.length > 0 && missing.length === 0, detail: missing.length ? `missing ${missing.join(", ")}` : "all back" },
      ],
    };
  }

  private async drop(expiring: number): Promise<void> {
    const keys = await deleteKeys(this.redis, `${this.prefix}:*`);
    this.deletions.push({ at: Date.now(), keys, expiring });
  }
}

async function scheduleIds(): Promise<string[]> {
  return (await queue("maintenance").getJobSchedulers()).map((s) => s.key).sort();
}

/**
 * Revokes Stint's consent in one tenant once some of its grants are active, asks for more grants there a
 * little later (they should be refused, with the reason), and restores the consent after a while.
 */
export class ConsentRevocation extends NoDisturbance {
  private revokedAt: number | null = null;
  private askedAt: number | null = null;
  private restoredAt: number | null = null;
  private asked = { accepted: 0, refused: [] as string[] };
  private health: { healthOk: boolean; detail: string | null; unhealthyAt: number | null; recoveredAt: number | null } | null = null;

  constructor(
    private readonly victim: SoakCustomer,
    private readonly clientId: string,
    private readonly latecomers: TestMember[],
    private readonly sql: postgres.Sql,
    private readonly origin: number,
  ) {
    super();
  }

  override async tick(traffic: Traffic): Promise<void> {
    const now = Date.now();
    if (this.revokedAt === null) {
      const active = traffic.count((p, row) => p.tenantId === this.victim.tenantId && Boolean(row?.usable_from));
      if (active < CONSENT_REVOKE_WHEN_ACTIVE) return;
      await emulator.setConsent(this.victim.tenantId, this.clientId, { granted: false });
      this.revokedAt = now;
      return;
    }
    if (this.askedAt === null && now >= this.revokedAt + CONSENT_ASK_AFTER_MS) {
      this.askedAt = now;
      const refusedBefore = traffic.refusals.length;
      const grantsBefore = traffic.grants.size;
      for (const technician of this.latecomers) await traffic.ask(technician, this.victim);
      this.asked = { accepted: traffic.grants.size - grantsBefore, refused: traffic.refusals.slice(refusedBefore).map((r) => r.reason) };
    }
    if (this.restoredAt === null && now >= this.revokedAt + CONSENT_RESTORE_AFTER_MS) {
      await emulator.setConsent(this.victim.tenantId, this.clientId, { granted: true });
      this.restoredAt = now;
    }
  }

  override settledAt(): number {
    return this.restoredAt ?? Number.POSITIVE_INFINITY;
  }

  override unreachable(): Unreachable {
    return this.revokedAt === null ? {} : { [this.victim.tenantId]: { from: this.revokedAt, until: this.restoredAt ?? Number.POSITIVE_INFINITY } };
  }

  override async stop(): Promise<void> {
    const [connection] = await this.sql<{ health_ok: boolean; health_detail: string | null }[]>`
      select health_ok, health_detail from entra_connections where tenant_id = ${this.victim.tenantId}`;
    const events = await this.sql<{ action: string; occurred_at: Date }[]>`
      select action, occurred_at from audit_events where action in ('connection.unhealthy', 'connection.recovered') order by occurred_at`;
    const first = (action: string) => events.find((e) => e.action === action)?.occurred_at.getTime() ?? null;
    this.health = { healthOk: connection?.health_ok ?? true, detail: connection?.health_detail ?? null, unhealthyAt: first("connection.unhealthy"), recoveredAt: first("connection.recovered") };
  }

  override account() {
    const o = this.origin;
    const h = this.health;
    const notes = [
      this.revokedAt === null
        ? `Consent was never revoked: fewer than ${CONSENT_REVOKE_WHEN_ACTIVE} of ${this.victim.plan.label}'s grants became active.`
        : `Consent revoked in ${this.victim.plan.label} at ${at(this.revokedAt, o)} (with ${CONSENT_REVOKE_WHEN_ACTIVE}+ of its grants active), restored at ${this.restoredAt === null ? "never" : at(this.restoredAt, o)}.`,
      `${this.latecomers.length} requests on that tenant at ${this.askedAt === null ? "never" : at(this.askedAt, o)}: ${this.asked.accepted} accepted, ${this.asked.refused.length} refused${this.asked.refused.length ? ` ("${this.asked.refused[0]}")` : ""}.`,
      h
        ? `Connection health: marked unhealthy ${h.unhealthyAt === null ? "never" : `at ${at(h.unhealthyAt, o)}`}, recovered ${h.recoveredAt === null ? "never" : `at ${at(h.recoveredAt, o)}`}; at the end ${h.healthOk ? "healthy" : `unhealthy (${h.detail})`}.`
        : "",
    ].filter(Boolean);
    const revokedFor = this.revokedAt === null ? null : (this.restoredAt ?? Date.now()) - this.revokedAt;
    return {
      notes,
      checks: [
        { label: "requests while consent is revoked refused", met: this.askedAt !== null && this.asked.accepted === 0, detail: `${this.asked.accepted} accepted` },
        {
          label: "connection marked unhealthy while revoked",
          met: h?.unhealthyAt != null && this.revokedAt !== null && revokedFor !== null && h.unhealthyAt - this.revokedAt <= revokedFor,
          detail: h?.unhealthyAt != null && this.revokedAt !== null ? `after ${((h.unhealthyAt - this.revokedAt) / 1000).toFixed(1)} s` : "never",
        },
      ],
    };
  }
}
