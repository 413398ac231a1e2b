import type { EmulatorControl, UserSnapshot } from "@/emulator/control/control";
import { STINT_EMPLOYEE_TYPE } from "@/lib/grants/naming";

/**
 * When Graph itself showed each Stint account usable and when it showed its access gone, read from the
 * emulator's snapshots (not from Stint's records) every few milliseconds, in the emulator's process.
 */

export type AccountTrace = {
  tenantId: string;
  userId: string;
  upn: string;
  grantId: string | null;
  firstSeenAt: number;
  /** First snapshot with the account enabled, holding every role of the grant and a usable pass. */
  usableAt: number | null;
  /** Last snapshot with any access: enabled, a role, or a usable pass. */
  lastAccessAt: number | null;
  /** First snapshot after `lastAccessAt` without any access; null while access remains. */
  accessGoneAt: number | null;
  /** Access came back after it had been gone (e.g. a role landing after clean-up). */
  accessReturned: boolean;
  where: "users" | "deleted" | "purged";
};

function hasAccess(user: UserSnapshot): boolean {
  return user.accountEnabled || user.roles.length > 0 || user.temporaryAccessPass?.isUsable === true;
}

export class GraphWatch {
  private readonly tenants = new Set<string>();
  private readonly accounts = new Map<string, AccountTrace>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly control: EmulatorControl,
    private readonly expectedRoles: readonly string[],
    private readonly everyMs: number,
  ) {}

  watch(tenantIds: string[]): void {
    for (const id of tenantIds) this.tenants.add(id.toLowerCase());
    this.timer ??= setInterval(() => this.poll(), this.everyMs);
  }

  /** The traces of the given tenants' accounts; stops watching them. */
  release(tenantIds: string[]): AccountTrace[] {
    this.poll();
    const ids = new Set(tenantIds.map((t) => t.toLowerCase()));
    const out: AccountTrace[] = [];
    for (const [key, trace] of this.accounts) {
      if (!ids.has(trace.tenantId)) continue;
      out.push(trace);
      this.accounts.delete(key);
    }
    for (const id of ids) this.tenants.delete(id);
    if (this.tenants.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    return out;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    const now = Date.now();
    for (const tenantId of this.tenants) {
      const tenant = this.control.inspectTenant(tenantId);
      const present = new Set<string>();
      const see = (user: UserSnapshot, where: "users" | "deleted") => {
        if (user.properties.employeeType !== STINT_EMPLOYEE_TYPE) return;
        const key = `${tenantId}/${user.id}`;
        present.add(key);
        let trace = this.accounts.get(key);
        if (!trace) {
          const grantId = typeof user.properties.employeeId === "string" ? user.properties.employeeId : null;
          trace = { tenantId, userId: user.id, upn: user.userPrincipalName, grantId, firstSeenAt: now, usableAt: null, lastAccessAt: null, accessGoneAt: now, accessReturned: false, where };
          this.accounts.set(key, trace);
        }
        trace.where = where;
        const access = where === "users" && hasAccess(user);
        if (access) {
          if (trace.lastAccessAt !== null && trace.accessGoneAt !== null) trace.accessReturned = true;
          trace.lastAccessAt = now;
          trace.accessGoneAt = null;
        } else if (trace.accessGoneAt === null) {
          trace.accessGoneAt = now;
        }
        const usable = where === "users" && user.accountEnabled && user.temporaryAccessPass?.isUsable === true && this.expectedRoles.every((r) => user.roles.includes(r));
        if (usable && trace.usableAt === null) trace.usableAt = now;
      };
      for (const user of tenant.users) see(user, "users");
      for (const user of tenant.deletedUsers) see(user, "deleted");
      for (const [key, trace] of this.accounts) {
        if (trace.tenantId !== tenantId || present.has(key) || trace.where === "purged") continue;
        trace.where = "purged";
        trace.accessGoneAt ??= now;
      }
    }
  }
}
