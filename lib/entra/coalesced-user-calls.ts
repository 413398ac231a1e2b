import { EntraError } from "./errors";
import type { Graph, NewGraphUser } from "./graph";

type Waiter<T> = { resolve: (value: T) => void; reject: (err: unknown) => void };
type PendingPatch = Waiter<void> & { patch: Partial<NewGraphUser> };
type PendingRead = Waiter<Awaited<ReturnType<Graph["getUser"]>>> & { fields: string[] };

type UserCalls = { writesInFlight: number; patches: PendingPatch[]; reads: PendingRead[]; flushing: boolean };

const settleAll = <T>(waiters: Waiter<T>[], run: Promise<T>) =>
  run.then(
    (value) => waiters.forEach((w) => w.resolve(value)),
    (err: unknown) => waiters.forEach((w) => w.reject(err)),
  );

/** A refusal of the request's content: one change in a joined PATCH must not hold back the others. */
const refusedContent = (err: unknown) => err instanceof EntraError && err.httpStatus === 400;

/**
 * The Graph calls of one piece of work on accounts, joined per user where Graph allows: changes asked for together
 * (disabling the account, replacing its password) go as one PATCH, and reads of a user's properties wait for the
 * writes to that user in flight and then go as one GET of every property asked for. Under throttling each request
 * is one more chance of a 429 and its Retry-After, so fewer requests end sooner. Every caller still gets its own
 * answer or error; a joined PATCH Graph refuses as a bad request is sent again one change at a time.
 */
export function coalescedUserCalls(graph: Graph): Graph {
  const users = new Map<string, UserCalls>();
  const callsOf = (id: string) => {
    let calls = users.get(id);
    if (!calls) users.set(id, (calls = { writesInFlight: 0, patches: [], reads: [], flushing: false }));
    return calls;
  };

  // Flushed on the next turn of the event loop, once every caller that resumed in this one has asked.
  const flushSoon = (id: string) => {
    const calls = callsOf(id);
    if (calls.flushing) return;
    calls.flushing = true;
    setImmediate(() => {
      calls.flushing = false;
      const patches = calls.patches.splice(0);
      if (patches.length) void tracked(id, sendPatches(id, patches));
      if (calls.writesInFlight === 0 && calls.reads.length) sendReads(id, calls.reads.splice(0));
    });
  };

  function tracked<T>(id: string, write: Promise<T>): Promise<T> {
    const calls = callsOf(id);
    calls.writesInFlight += 1;
    return write.finally(() => {
      calls.writesInFlight -= 1;
      if (calls.writesInFlight === 0) flushSoon(id);
    });
  }

  async function sendPatches(id: string, patches: PendingPatch[]): Promise<void> {
    const joined = graph.updateUser(id, Object.assign({}, ...patches.map((p) => p.patch)) as Partial<NewGraphUser>);
    if (patches.length === 1) return settleAll(patches, joined);
    await joined.then(
      () => patches.forEach((p) => p.resolve()),
      async (err: unknown) => {
        if (!refusedContent(err)) return patches.forEach((p) => p.reject(err));
        await Promise.all(patches.map((p) => settleAll([p], graph.updateUser(id, p.patch))));
      },
    );
  }

  function sendReads(id: string, reads: PendingRead[]): void {
    const fields = [...new Set(reads.flatMap((r) => r.fields))];
    void settleAll(reads, graph.getUser(id, fields.join(",")));
  }

  return {
    ...graph,
    updateUser: (id, patch) =>
      new Promise<void>((resolve, reject) => {
        callsOf(id).patches.push({ patch, resolve, reject });
        flushSoon(id);
      }),
    revokeSignInSessions: (id) => tracked(id, graph.revokeSignInSessions(id)),
    getUser: (idOrUpn, select) => {
      if (select === undefined) return graph.getUser(idOrUpn);
      return new Promise((resolve, reject) => {
        callsOf(idOrUpn).reads.push({ fields: select.split(","), resolve, reject });
        flushSoon(idOrUpn);
      });
    },
  };
}
