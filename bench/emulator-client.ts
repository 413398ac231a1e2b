import type { EmulatorOps, RpcRequest, RpcResponse } from "./emulator-host";

/** The Stint process's handle on the emulator that bench/run.ts runs: its control operations over Node IPC. */

/** The operations of a launcher's op table, called from this process: each answers a promise of its plain-JSON result. */
export type Remote<Ops> = { [K in keyof Ops]: Ops[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

const pending = new Map<number, { op: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextId = 1;
let listening = false;

function call(op: string, args: unknown[]): Promise<unknown> {
  if (!process.send) throw new Error("This process must be started by its launcher (npm run bench or npm run soak), which runs the emulator.");
  if (!listening) {
    listening = true;
    process.on("message", (message: RpcResponse) => {
      const waiter = pending.get(message.rpc);
      if (!waiter) return;
      pending.delete(message.rpc);
      if (message.ok) waiter.resolve(message.value);
      else waiter.reject(new Error(`emulator ${waiter.op}: ${message.error}`));
    });
  }
  const rpc = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(rpc, { op, resolve, reject });
    process.send!({ rpc, op, args } satisfies RpcRequest);
  });
}

/** A handle on the launcher's op table (`Ops` is its type; the launcher must answer every op named). */
export function remoteOps<Ops>(): Remote<Ops> {
  return new Proxy({} as Remote<Ops>, {
    get: (_target, op: string) => (...args: unknown[]) => call(op, args),
  });
}

export const emulator = remoteOps<EmulatorOps>();

/** Lets the process exit once the bench is done (an open IPC channel keeps it alive). */
export function closeEmulatorChannel(): void {
  process.disconnect?.();
}
