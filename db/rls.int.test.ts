import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { auditChainChecks, auditCheckpoints, auditEvents, invites, members, msps, passkeys, sessions } from "@/db/schema";
import { closeDb, getDb } from "@/db/client";
import { assertRuntimeRole, runtimeRoleProblems } from "@/db/runtime-role";
import { withMspTx, systemTxBypassingRls } from "@/db/tx";
import { requireDatabaseUrl, requireOwnerDatabaseUrl } from "@/lib/env";
import { newId, randomBase62 } from "@/lib/ids";
import { systemContext } from "@/lib/services/context";
import { createInvite } from "@/lib/services/invites/create";
import { verifyAndRecordAuditChain } from "@/lib/services/audit/verify-chain";
import { contextFor, inviteMember, seedMspDirectly, superuserSql, type TestMsp } from "@/test/factories";
import { startWorker } from "@/test/worker-process";

// The second wall: whatever the services get wrong, Postgres itself must not show or accept another
// MSP's rows to the application role.

/**
 * Tables that hold no MSP data on purpose (installation facts, sign-in challenges before anyone is known, the
 * worker processes' heartbeats). Any other table must carry msp_id (or be msps) and RLS.
 */
const NOT_MSP_DATA = new Set(["system_state", "webauthn_challenges", "worker_processes"]);
const RLS_FAILURE = /new row violates row-level security policy/i;
const DENIED = /permission denied/i;

/** Drizzle wraps the driver's error ("Failed query: …"); the Postgres message is in the cause chain. */
async function expectPgError(promise: Promise<unknown>, message: RegExp) {
  const error = await promise.then(
    () => {
      throw new Error(`expected a Postgres error matching ${message}, but it succeeded`);
    },
    (e: unknown) => e,
  );
  const messages: string[] = [];
  for (let e: unknown = error; e instanceof Error; e = e.cause) messages.push(e.message);
  expect(messages.some((m) => message.test(m)), messages.join(" <- ")).toBe(true);
}

let a: TestMsp;
let b: TestMsp;
let su: postgres.Sql;
let mspTables: string[];

afterAll(async () => {
  await su?.end();
  await closeDb();
});

beforeAll(async () => {
  su = superuserSql();
  a = await seedMspDirectly({ mspName: "RLS A" });
  b = await seedMspDirectly({ mspName: "RLS B" });
  // Give both MSPs a row in every MSP table the services can write today.
  for (const msp of [a, b]) {
    await inviteMember(msp.owner, "technician");
    await createInvite(contextFor(msp.owner), { email: `pending-${randomBase62(8).toLowerCase()}@example.test`, displayName: "P", role: "auditor" });
    await verifyAndRecordAuditChain(systemContext(msp.mspId, "audit.verify"));
  }
  const rows = await su<{ table_name: string }[]>`
    select c.table_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and c.column_name = 'msp_id' and t.table_type = 'BASE TABLE'
    order by c.table_name`;
  mspTables = rows.map((r) => r.table_name);
});

/** Runs fn in a transaction as stint_app with only the given settings (none = no MSP context at all). */
function asApp<T>(settings: Record<string, string>, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return su.begin(async (tx) => {
    await tx`set local role stint_app`;
    for (const [k, v] of Object.entries(settings)) await tx`select set_config(${k}, ${v}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

async function countAs(settings: Record<string, string>, table: string): Promise<number> {
  return asApp(settings, async (tx) => {
    const [row] = await tx.unsafe<{ n: number }[]>(`select count(*)::int as n from "${table}"`);
    return row!.n;
  });
}

describe("row-level security", () => {
  it("finds the MSP tables from the catalog (the list covers new tables automatically)", () => {
    expect(mspTables).toEqual(expect.arrayContaining(["members", "passkeys", "sessions", "invites", "audit_events", "audit_chain_checks", "audit_checkpoints"]));
  });

  it("every MSP table (and msps) has RLS enabled and forced, with at least one policy", async () => {
    const tables = [...mspTables, "msps"];
    const rows = await su<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean; policies: number }[]>`
      select c.relname, c.relrowsecurity, c.relforcerowsecurity,
             (select count(*)::int from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname) as policies
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relname in ${su(tables)}`;
    expect(rows.map((r) => r.relname).sort()).toEqual([...tables].sort());
    for (const row of rows) {
      expect(row, row.relname).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
      expect(row.policies, `${row.relname} has no policy`).toBeGreaterThan(0);
    }
  });

  it("every table in the public schema is either MSP data under RLS or explicitly not MSP data", async () => {
    const rows = await su<{ relname: string }[]>`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')`;
    const unexpected = rows.map((r) => r.relname).filter((t) => !NOT_MSP_DATA.has(t) && t !== "msps" && !mspTables.includes(t));
    expect(unexpected, "tables without msp_id: add msp_id + RLS, or list them in NOT_MSP_DATA with a reason").toEqual([]);
  });

  it("the app role is no superuser, cannot bypass RLS, and owns no table", async () => {
    const [role] = await su<{ rolsuper: boolean; rolbypassrls: boolean }[]>`
      select rolsuper, rolbypassrls from pg_roles where rolname = 'stint_app'`;
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await su`
      select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and pg_get_userbyid(c.relowner) = 'stint_app'`;
    expect(owned).toHaveLength(0);
    const [who] = await withMspTx(a.mspId, (tx) => tx.execute<{ user: string }>(sql`select current_user as user`));
    expect(who!.user).toBe("stint_app");
  });

  it("without app.msp_id, stint_app sees no row in any MSP table, nor msps", async () => {
    for (const table of [...mspTables, "msps"]) {
      expect(await countAs({}, table), table).toBe(0);
    }
    // …and that is not because the tables are empty.
    for (const table of ["msps", "members", "passkeys", "sessions", "invites", "audit_events", "audit_chain_checks"]) {
      const [row] = await su.unsafe<{ n: number }[]>(`select count(*)::int as n from "${table}"`);
      expect(row!.n, table).toBeGreaterThan(0);
    }
  });

  it("an empty app.msp_id (what a reused connection may report) sees nothing either", async () => {
    for (const table of [...mspTables, "msps"]) {
      expect(await countAs({ "app.msp_id": "" }, table), table).toBe(0);
    }
    expect(await countAs({ "app.system": "off" }, "members")).toBe(0);
  });

  it("with MSP A's id, stint_app sees exactly A's rows", async () => {
    const tables = { msps, members, passkeys, sessions, invites, auditEvents } as const;
    await withMspTx(a.mspId, async (tx) => {
      for (const [name, table] of Object.entries(tables)) {
        const rows = (await tx.select().from(table)) as { mspId?: string; id: string }[];
        expect(rows.length, name).toBeGreaterThan(0);
        const owners = new Set(rows.map((r) => (name === "msps" ? r.id : r.mspId)));
        expect([...owners], name).toEqual([a.mspId]);
      }
    });
    // Counts match what the superuser sees for A, for every MSP table.
    for (const table of mspTables) {
      const [expected] = await su.unsafe<{ n: number }[]>(`select count(*)::int as n from "${table}" where msp_id = $1`, [a.mspId]);
      expect(await countAs({ "app.msp_id": a.mspId }, table), table).toBe(expected!.n);
    }
  });

  it("B's rows cannot be read by id while set to A", async () => {
    await withMspTx(a.mspId, async (tx) => {
      expect(await tx.select().from(members).where(eq(members.id, b.owner.id))).toEqual([]);
      expect(await tx.select().from(passkeys).where(eq(passkeys.id, b.owner.passkeyId))).toEqual([]);
      expect(await tx.select().from(sessions).where(eq(sessions.id, b.owner.session.sessionId))).toEqual([]);
      expect(await tx.select().from(msps).where(eq(msps.id, b.mspId))).toEqual([]);
    });
  });

  it("inserting a row for MSP B while set to A is rejected by the policy", async () => {
    await expectPgError(
      withMspTx(a.mspId, (tx) =>
        tx.insert(members).values({ id: newId("member"), mspId: b.mspId, email: "intruder@example.test", displayName: "I", role: "owner", webauthnUserId: randomBase62(32) }),
      ),
      RLS_FAILURE,
    );
    await expectPgError(
      withMspTx(a.mspId, (tx) =>
        tx.insert(invites).values({ id: newId("invite"), mspId: b.mspId, email: "i@example.test", displayName: "I", role: "owner", tokenDigest: randomBase62(40), createdBy: a.owner.id, expiresAt: new Date(Date.now() + 60_000) }),
      ),
      RLS_FAILURE,
    );
    await expectPgError(withMspTx(a.mspId, (tx) => tx.insert(msps).values({ id: newId("msp"), name: "Rogue" })), RLS_FAILURE);
    // Without any MSP context nothing can be inserted either.
    await expectPgError(
      asApp({}, (tx) => tx`insert into msps (id, name) values (${newId("msp")}, 'Rogue')`),
      RLS_FAILURE,
    );
  });

  it("moving A's row to MSP B is rejected; updating or deleting B's rows from A touches nothing", async () => {
    await expectPgError(
      withMspTx(a.mspId, (tx) => tx.update(members).set({ mspId: b.mspId }).where(eq(members.id, a.owner.id))),
      RLS_FAILURE,
    );
    await withMspTx(a.mspId, async (tx) => {
      expect(await tx.update(members).set({ displayName: "Hijacked" }).where(eq(members.id, b.owner.id)).returning()).toEqual([]);
      expect(await tx.delete(sessions).where(eq(sessions.id, b.owner.session.sessionId)).returning()).toEqual([]);
    });
    const [row] = await su<{ display_name: string }[]>`select display_name from members where id = ${b.owner.id}`;
    expect(row!.display_name).not.toBe("Hijacked");
  });

  it("UPDATE, DELETE and TRUNCATE on audit_events are denied to stint_app, even in a system transaction", async () => {
    await expectPgError(withMspTx(a.mspId, (tx) => tx.update(auditEvents).set({ reason: "rewritten" }).where(eq(auditEvents.mspId, a.mspId))), DENIED);
    await expectPgError(withMspTx(a.mspId, (tx) => tx.delete(auditEvents).where(eq(auditEvents.mspId, a.mspId))), DENIED);
    await expectPgError(systemTxBypassingRls((tx) => tx.update(auditEvents).set({ reason: "rewritten" })), DENIED);
    await expectPgError(systemTxBypassingRls((tx) => tx.delete(auditEvents)), DENIED);
    await expectPgError(systemTxBypassingRls((tx) => tx.execute(sql`truncate audit_events`)), DENIED);
    const [row] = await su<{ n: number }[]>`select count(*)::int as n from audit_events where reason = 'rewritten'`;
    expect(row!.n).toBe(0);
  });

  it("the audit verifier's verdicts and the chain's checkpoints are append-only for stint_app too", async () => {
    await expectPgError(systemTxBypassingRls((tx) => tx.update(auditChainChecks).set({ ok: true })), DENIED);
    await expectPgError(systemTxBypassingRls((tx) => tx.delete(auditChainChecks)), DENIED);
    await expectPgError(systemTxBypassingRls((tx) => tx.execute(sql`truncate audit_chain_checks`)), DENIED);
    await expectPgError(systemTxBypassingRls((tx) => tx.update(auditCheckpoints).set({ seq: 1 })), DENIED);
    await expectPgError(systemTxBypassingRls((tx) => tx.delete(auditCheckpoints)), DENIED);
    await expectPgError(systemTxBypassingRls((tx) => tx.execute(sql`truncate audit_checkpoints`)), DENIED);
  });

  it("no pool bleed: after withMspTx(A) commits, a fresh transaction on the same connection sees nothing", async () => {
    let sameConnection = 0;
    for (let i = 0; i < 20; i++) {
      const first = await withMspTx(a.mspId, async (tx) => {
        const [row] = await tx.execute<{ pid: number; n: number }>(sql`select pg_backend_pid() as pid, (select count(*)::int from members) as n`);
        return row!;
      });
      expect(first.n).toBeGreaterThan(0);
      const second = await getDb().transaction(async (tx) => {
        await tx.execute(sql`set local role stint_app`);
        const [row] = await tx.execute<{ pid: number; n: number; setting: string | null }>(
          sql`select pg_backend_pid() as pid, (select count(*)::int from members) as n, current_setting('app.msp_id', true) as setting`,
        );
        return row!;
      });
      if (second.pid === first.pid) sameConnection += 1;
      expect(second.n).toBe(0);
      expect(second.setting ?? "").toBe("");
    }
    expect(sameConnection, "the pool never reused a connection; the check proved nothing").toBeGreaterThan(0);
  });

  it("no pool bleed after a rolled-back withMspTx(A) either", async () => {
    await expect(
      withMspTx(a.mspId, async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    const n = await getDb().transaction(async (tx) => {
      await tx.execute(sql`set local role stint_app`);
      const [row] = await tx.execute<{ n: number }>(sql`select count(*)::int as n from members`);
      return row!.n;
    });
    expect(n).toBe(0);
  });

  it("set_config(…, true) outside a transaction does not carry over to the next statement (autocommit trap)", async () => {
    const single = postgres(requireDatabaseUrl(), { max: 1, onnotice: () => {} });
    try {
      await single`select set_config('app.msp_id', ${a.mspId}, true)`;
      const n = await single.begin(async (tx) => {
        await tx`set local role stint_app`;
        const [row] = await tx<{ n: number }[]>`select count(*)::int as n from members`;
        return row!.n;
      });
      expect(n).toBe(0);
    } finally {
      await single.end();
    }
  });

  it("the application's login role cannot step out of stint_app, before, inside or after a transaction", async () => {
    const [before] = await getDb().execute<{ current: string; session: string }>(sql`select current_user as current, session_user as session`);
    expect(before).toEqual({ current: "stint_app", session: "stint_app" });
    await expectPgError(getDb().execute(sql`set role postgres`), DENIED);
    await expectPgError(withMspTx(a.mspId, (tx) => tx.execute(sql`set local role postgres`)), DENIED);
    const afterReset = await withMspTx(a.mspId, async (tx) => {
      await tx.execute(sql`reset role`);
      const [row] = await tx.execute<{ current: string; n: number }>(sql`select current_user as current, (select count(*)::int from audit_events) as n`);
      return row!;
    });
    // RESET ROLE lands on the login role, which is stint_app itself: still under row-level security.
    expect(afterReset.current).toBe("stint_app");
    const app = postgres(requireDatabaseUrl(), { max: 1, onnotice: () => {} });
    try {
      expect(await runtimeRoleProblems(app)).toEqual([]);
    } finally {
      await app.end();
    }
  });
});

describe("the login role of the web app and worker", () => {
  let owner: postgres.Sql;
  const roles: string[] = [];
  beforeAll(() => {
    owner = superuserSql();
  });
  afterAll(async () => {
    for (const role of roles) await owner.unsafe(`drop role if exists ${role}`);
    await owner.end();
  });

  async function loginRole(setup: (name: string) => string[]): Promise<postgres.Sql> {
    const name = `stint_test_login_${randomBase62(8).toLowerCase()}`;
    roles.push(name);
    for (const statement of setup(name)) await owner.unsafe(statement);
    const url = new URL(requireOwnerDatabaseUrl());
    url.username = name;
    return postgres(url.toString(), { max: 1, onnotice: () => {} });
  }

  it("the owner (here a superuser) is refused, naming why", async () => {
    const problems = await runtimeRoleProblems(owner);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/is a superuser/), expect.stringMatching(/BYPASSRLS/), expect.stringMatching(/owns the database|owns the public schema|owns \d+ of Stint's tables/)]));
    await expect(assertRuntimeRole(owner)).rejects.toThrow(/may not run Stint: .*DATABASE_OWNER_URL/);
  });

  it("a dedicated login role that is a member of stint_app only is fit; one that can also become another role is not", async () => {
    const fit = await loginRole((n) => [`create role ${n} login in role stint_app`]);
    try {
      expect(await runtimeRoleProblems(fit)).toEqual([]);
    } finally {
      await fit.end();
    }
    const extra = `stint_test_extra_${randomBase62(6).toLowerCase()}`;
    roles.unshift(extra);
    const unfit = await loginRole((n) => [`create role ${extra} nologin`, `create role ${n} login in role stint_app, ${extra}`]);
    try {
      expect(await runtimeRoleProblems(unfit)).toEqual([expect.stringMatching(new RegExp(`can become ${extra}`))]);
    } finally {
      await unfit.end();
    }
    const outsider = await loginRole((n) => [`create role ${n} login`]);
    try {
      expect(await runtimeRoleProblems(outsider)).toEqual([expect.stringMatching(/is not stint_app and not a member of it/)]);
    } finally {
      await outsider.end();
    }
  });

  it("the worker refuses to start as the owner, and says how to fix it", async () => {
    const worker = startWorker(`stint_role_${randomBase62(6)}`, { DATABASE_URL: requireOwnerDatabaseUrl() });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toMatch(/may not run Stint: postgres is a superuser/);
  });
});
