import os from "node:os";

/** Small numeric helpers for the bench: percentiles (nearest rank), formatting, a text table, how busy the machine is. */

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summary(values: readonly number[]) {
  return {
    n: values.length,
    min: values.length ? Math.min(...values) : Number.NaN,
    p50: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : Number.NaN,
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN,
  };
}
export type Summary = ReturnType<typeof summary>;

export const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : "n/a");
export const num = (v: number, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : "n/a");

/** Rows of cells as an aligned plain-text table (first row is the header). */
export function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (c ?? "").padEnd(widths[i]!)).join("  ").trimEnd();
  return [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

/** The same rows as a Markdown table. */
export function markdownTable(rows: string[][]): string {
  const esc = (c: string) => c.replace(/\|/g, "\\|");
  const [head, ...body] = rows;
  return [`| ${head!.map(esc).join(" | ")} |`, `|${head!.map(() => "---").join("|")}|`, ...body.map((r) => `| ${r.map(esc).join(" | ")} |`)].join("\n");
}

export const sleep = (msToWait: number) => new Promise<void>((resolve) => setTimeout(resolve, msToWait));

/** Runs `fn` over `items` with at most `limit` in flight, keeping the items' order in the result. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return results;
}

export type CpuTimes = { idle: number; total: number };

/** Idle and total time of every core of the machine so far (other processes included). */
export function cpuTimes(): CpuTimes {
  return os.cpus().reduce((a, c) => ({ idle: a.idle + c.times.idle, total: a.total + c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq }), { idle: 0, total: 0 });
}

/** Busy share (0–1) of every core of the machine between two cpuTimes() readings. */
export function busyShare(before: CpuTimes, after: CpuTimes): number {
  return 1 - (after.idle - before.idle) / (after.total - before.total);
}
