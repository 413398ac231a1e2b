import type { EmulatorOps, RpcRequest, RpcResponse } from "./emulator-host";

/** The Stint process's handle on the emulator that bench/run.ts runs: its control operations over Node IPC. */

type Remote = { [K in keyof EmulatorOps]: (...args: Parameters<EmulatorOps[K]>) => Promise<Awaited<ReturnType<EmulatorOps[K]>>> };

const pending = new Map<number, { op: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
let nextId = 1;
let listening = false;

function call(op: keyof EmulatorOps, args: unknown[]): Promise<unknown> {
  if (!process.send) throw new Error("bench/main.ts must be started by bench/run.ts (npm run bench), which runs the emulator.");
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

export const emulator = new Proxy({} as Remote, {
  get: (_target, op: string) => (...args: unknown[]) => call(op as keyof EmulatorOps, args),
});

/** Lets the process exit once the bench is done (an open IPC channel keeps it alive). */
export function closeEmulatorChannel(): void {
  process.disconnect?.();
}
