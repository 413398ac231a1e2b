import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";

/** Event-loop delay of the Stint process during a phase: how long timers and I/O callbacks waited for the CPU. */
export class LoopDelay {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  constructor() {
    this.histogram.enable();
  }

  stop(): { p50: number; p99: number; max: number } {
    this.histogram.disable();
    const msOf = (ns: number) => ns / 1e6;
    return { p50: msOf(this.histogram.percentile(50)), p99: msOf(this.histogram.percentile(99)), max: msOf(this.histogram.max) };
  }
}
