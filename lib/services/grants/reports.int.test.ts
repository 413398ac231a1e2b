import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { contextFor, expectAppError, inviteMember, seedMspDirectly } from "@/test/factories";
import { expectValidation } from "@/test/expect";
import { insertGrantWithExposure } from "@/test/grant-rows";
import { grantSuite, readGrant } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { createCustomer } from "@/lib/services/customers/create";
import { systemContext, type ServiceContext } from "@/lib/services/context";
import { endGrant } from "./end";
import { expireGrant } from "./expire";
import { exportGrantsCsv } from "./export-csv";
import { provisionGrant } from "./provision";
import { readGrantEvidence } from "./read-evidence";
import { requestGrant } from "./request";

// What leaves Stint as a report: the grants list as CSV with the Grants page's filters, and one grant's
// evidence (timeline with Graph read-backs, audit events with their place in the hash chain).

const suite = grantSuite("reports", "Reports MSP");

type Row = Record<string, string>;
const rowsOf = (csv: string): Row[] => parse(csv, { columns: true }) as Row[];

describe("exportGrantsCsv", () => {
  it("holds the rows the Grants page's filters select, with planned and actual minutes, and is audited", async () => {
    const owner = contextFor(suite.msp.owner);
    const alice = await inviteMember(suite.msp.owner, "technician", { displayName: "Alice Export" });
    const bob = await inviteMember(suite.msp.owner, "technician", { displayName: "Bob Export" });
    const contoso = (await createCustomer(owner, { name: "Contoso Export" })).id;
    const fabrikam = (await createCustomer(owner, { name: "Fabrikam Export" })).id;
    const from = new Date("2026-11-02T08:00:00Z");
    const ended = await insertGrantWithExposure({
      mspId: suite.msp.mspId, customerId: contoso, memberId: alice.id, state: "ended", usableFrom: from, usableTo: new Date(from.getTime() + 45 * 60_000),
      endReason: "expired", justification: "=HYPERLINK(\"http://evil\")", ticketRef: "T-100",
    });
    const live = await insertGrantWithExposure({ mspId: suite.msp.mspId, customerId: fabrikam, memberId: bob.id, state: "active", usableFrom: new Date(), endsAt: new Date(Date.now() + 3600_000) });
    const failed = await insertGrantWithExposure({ mspId: suite.msp.mspId, customerId: fabrikam, memberId: alice.id, state: "failed", usableFrom: null });

    const history = rowsOf(await exportGrantsCsv(owner, { scope: "history" }));
    expect(history.map((r) => r.grant_id).sort()).toEqual([ended, failed].sort());
    const row = history.find((r) => r.grant_id === ended)!;
    expect(row).toMatchObject({
      state: "ended", customer: "Contoso Export", technician: "Alice Export", ticket: "T-100", usable_from: "2026-11-02T08:00:00.000Z",
      usable_to: "2026-11-02T08:45:00.000Z", planned_minutes: "60", actual_minutes: "45", end_reason: "expired",
    });
    // A spreadsheet shows the text instead of running it.
    expect(row.justification).toBe("'=HYPERLINK(\"http://evil\")");

    expect(rowsOf(await exportGrantsCsv(owner, {})).map((r) => [r.grant_id, r.actual_minutes])).toEqual([[live, ""]]);
    expect(rowsOf(await exportGrantsCsv(owner, { scope: "all", memberId: alice.id })).map((r) => r.grant_id).sort()).toEqual([ended, failed].sort());
    expect(rowsOf(await exportGrantsCsv(owner, { scope: "all", customerId: fabrikam, state: "failed" })).map((r) => r.grant_id)).toEqual([failed]);
    const [audit] = await suite.sql`select metadata from audit_events where msp_id = ${suite.msp.mspId} and action = 'grants.exported' order by seq desc limit 1`;
    expect(audit!.metadata).toMatchObject({ rows: 1, filter: { scope: "all", customerId: fabrikam, state: "failed" } });
    expect(await exportGrantsCsv(contextFor(await inviteMember(suite.msp.owner, "auditor")), { scope: "all" })).toContain(ended);

    await expectAppError(exportGrantsCsv(contextFor(alice), {}), "forbidden");
    await expectValidation(exportGrantsCsv(owner, { state: "sleeping" }), "state");
  });
});

describe("readGrantEvidence", () => {
  it("holds the grant, each step with what Graph read back, and its audit events in the chain", async () => {
    const setup = await jitReadyCustomer(suite.msp);
    const grant = await requestGrant(contextFor(setup.technician), {
      customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification: "Ticket 5150: evidence for the auditor",
    });
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    await endGrant(contextFor(setup.technician), grant.id, "ended_by_technician");
    await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false });
    const auditor = contextFor(await inviteMember(suite.msp.owner, "auditor"));

    const evidence = await readGrantEvidence(auditor, grant.id);
    expect(evidence.grant).toMatchObject({ id: grant.id, state: "ended", customerName: setup.customer.name, memberName: setup.technician.displayName });
    expect(evidence.grant).not.toHaveProperty("passwordEnvelope");
    expect(evidence.grant).not.toHaveProperty("tapEnvelope");
    expect(JSON.stringify(evidence)).not.toMatch(/password_envelope|"v1:|tapEnvelope/);
    expect(evidence.timeline.length).toBeGreaterThan(3);
    expect(evidence.timeline.every((s) => s.status === "succeeded" && s.detail)).toBe(true);

    const rows = await suite.sql`select seq, action, hash, prev_hash from audit_events where msp_id = ${suite.msp.mspId} and target_id = ${grant.id} and action <> 'grant.evidence_exported' order by seq`;
    expect(evidence.audit.events.map((e) => [e.seq, e.action, e.hash, e.prevHash])).toEqual(rows.map((r) => [Number(r.seq), r.action, r.hash, r.prev_hash]));
    expect(evidence.audit.events.map((e) => e.action)).toEqual(expect.arrayContaining(["grant.active", "grant.expiring", "grant.ended"]));
    expect(evidence.audit.chainHead!.seq).toBeGreaterThanOrEqual(evidence.audit.events.at(-1)!.seq);
    expect((await readGrant(suite.msp.mspId, grant.id)).state).toBe("ended");
    // Reading it is itself on the record, and shows in the next export.
    expect((await readGrantEvidence(auditor, grant.id)).audit.events.at(-1)!.action).toBe("grant.evidence_exported");
  });

  it("is for those who read the audit log, and not across MSPs or a token's customers", async () => {
    const setup = await jitReadyCustomer(suite.msp);
    const id = await insertGrantWithExposure({ mspId: suite.msp.mspId, customerId: setup.customer.id, memberId: setup.technician.id, state: "failed", usableFrom: null });
    await expectAppError(readGrantEvidence(contextFor(setup.technician), id), "forbidden");
    const other = await seedMspDirectly({ mspName: "Reports Other MSP" });
    await expectAppError(readGrantEvidence(contextFor(other.owner), id), "not_found");
    const restricted: ServiceContext = {
      ...contextFor(suite.msp.owner),
      actor: { type: "token", tokenId: "tok_test", memberId: suite.msp.owner.id, role: "owner", label: "restricted", scopes: ["audit:read", "grants:read"], customerIds: ["cus_other"] },
    };
    await expectAppError(readGrantEvidence(restricted, id), "not_found");
  });
});
