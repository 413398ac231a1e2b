import { describe, expect, it } from "vitest";
import { ReplicationLag } from "./replication-lag";

/** A PRNG stand-in that answers the given values in turn. */
function draws(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] as number;
}

describe("ReplicationLag", () => {
  it("hides a write until its window has passed and its hidden reads are spent", () => {
    const lag = new ReplicationLag({ ms: 100, requests: 2 }, draws(0));
    expect(lag.written("a", 1_000)).toBe(true);
    expect(lag.read("a", 1_200)).toBe(false);
    expect(lag.hasReplicated("a", 1_200)).toBe(false);
    expect(lag.read("a", 1_200)).toBe(false);
    expect(lag.read("a", 1_050)).toBe(false);
    expect(lag.read("a", 1_100)).toBe(true);
    expect(lag.read("a", 1_000)).toBe(true);
  });

  it("does not spend hidden reads on hasReplicated", () => {
    const lag = new ReplicationLag({ ms: 0, requests: 1 }, draws(0));
    lag.written("a", 0);
    expect(lag.hasReplicated("a", 5)).toBe(false);
    expect(lag.hasReplicated("a", 5)).toBe(false);
    expect(lag.read("a", 5)).toBe(false);
    expect(lag.hasReplicated("a", 5)).toBe(true);
  });

  it("draws each write's window between minMs and ms", () => {
    const lag = new ReplicationLag({ ms: 1_000, minMs: 200, requests: 0 }, draws(0.5, 0));
    lag.written("half", 0);
    lag.written("shortest", 0);
    expect(lag.hasReplicated("half", 599)).toBe(false);
    expect(lag.hasReplicated("half", 600)).toBe(true);
    expect(lag.hasReplicated("shortest", 199)).toBe(false);
    expect(lag.hasReplicated("shortest", 200)).toBe(true);
  });

  it("lags only the drawn fraction of writes", () => {
    const lag = new ReplicationLag({ ms: 1_000, requests: 0, rate: 0.5 }, draws(0.7, 0.2, 0));
    expect(lag.written("spared", 0)).toBe(false);
    expect(lag.written("lagged", 0)).toBe(true);
    expect(lag.read("spared", 1)).toBe(true);
    expect(lag.read("lagged", 1)).toBe(false);
  });

  it("forgets a superseded write and everything on configure", () => {
    const lag = new ReplicationLag({ ms: 1_000, requests: 0 }, draws(0));
    lag.written("a", 0);
    lag.written("b", 0);
    lag.forget("a");
    expect(lag.read("a", 1)).toBe(true);
    lag.configure(null, draws(0));
    expect(lag.read("b", 1)).toBe(true);
    expect(lag.written("c", 1)).toBe(false);
  });
});
