import path from "node:path";
import { NextRequest } from "next/server";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { describe, expect, it } from "vitest";
import { grantSteps } from "@/db/schema";
import { systemTxBypassingRls } from "@/db/tx";
import { operationUrl, routeFileOf } from "@/lib/api/operation";
import { operations } from "@/lib/api/operations";
import { CLIENT_ADDRESS_HEADER } from "@/lib/http/client-address";
import { newId } from "@/lib/ids";
import { createCustomer } from "@/lib/services/customers/create";
import { systemContext } from "@/lib/services/context";
import { endGrant } from "@/lib/services/grants/end";
import { expireGrant } from "@/lib/services/grants/expire";
import { provisionGrant } from "@/lib/services/grants/provision";
import { requestGrant } from "@/lib/services/grants/request";
import { bearer, freshIp, newToken } from "@/lib/services/tokens/test-helpers";
import { expectValidation } from "@/test/expect";
import { contextFor, expectAppError, inviteMember, lastAudit, seedMspDirectly } from "@/test/factories";
import { grantSuite } from "@/test/grant-harness";
import { insertGrantWithExposure } from "@/test/grant-rows";
import { jitReadyCustomer } from "@/test/grants";
import { readMonthlyStatement } from "./monthly-statement";

// A customer's monthly statement: the grants whose accounts could act in one calendar month of the
// customer's time zone, exposure cut to the month's edges, the steps that removed each, and its PDF.

const suite = grantSuite("statement", "Statement MSP");
const at = (s: string) => new Date(s);

/** November 2026 in Europe/Berlin runs from 2026-10-31T23:00Z to 2026-11-30T23:00Z. */
async function seedNovember() {
  const owner = contextFor(suite.msp.owner);
  const alice = await inviteMember(suite.msp.owner, "technician", { displayName: "Zoë Łukasiewicz" });
  const bob = await inviteMember(suite.msp.owner, "technician", { displayName: "Bob Statement" });
  const customer = (await createCustomer(owner, { name: "Northwind Statement" })).id;
  const other = (await createCustomer(owner, { name: "Other Statement" })).id;
  await suite.sql`update customers set time_zone = 'Europe/Berlin' where id = ${customer}`;
  const base = { mspId: suite.msp.mspId, customerId: customer };
  // 23:00 to 00:30 Berlin time across the start of November: 30 minutes of it are in November.
  const acrossStart = await insertGrantWithExposure({ ...base, memberId: alice.id, state: "ended", usableFrom: at("2026-10-31T22:00:00Z"), usableTo: at("2026-10-31T23:30:00Z"), endReason: "expired" });
  const inside = await insertGrantWithExposure({
    ...base, memberId: bob.id, state: "ended", usableFrom: at("2026-11-10T09:00:00Z"), usableTo: at("2026-11-10T10:30:00Z"), endReason: "ended_by_technician",
    justification: "Ticket 4711: reset the CFO's MFA", ticketRef: "T-4711", roleTemplateIds: ["729827e3-9c14-49f7-bb1b-9608f156bbb8"],
  });
  await suite.sql`update grants set extended_minutes = 30 where id = ${inside}`;
  // From 23:00 on 30 November Berlin time, never removed: an hour of it is in November.
  const acrossEnd = await insertGrantWithExposure({ ...base, memberId: alice.id, state: "irrevocable", usableFrom: at("2026-11-30T22:00:00Z") });
  // Provisioning failed in November before the account was usable: its removal is unproven, its exposure none.
  const failed = await insertGrantWithExposure({ ...base, memberId: bob.id, state: "failed", usableFrom: null });
  await suite.sql`update grants set start_at = '2026-11-15T10:00:00Z', updated_at = '2026-11-15T10:05:00Z', failure_reason = 'Graph refused the role assignment' where id = ${failed}`;
  // November in UTC but December in Berlin; October; another customer: none of them is on the statement.
  await insertGrantWithExposure({ ...base, memberId: bob.id, state: "ended", usableFrom: at("2026-11-30T23:10:00Z"), usableTo: at("2026-11-30T23:50:00Z") });
  const october = await insertGrantWithExposure({ ...base, memberId: bob.id, state: "ended", usableFrom: at("2026-10-12T09:00:00Z"), usableTo: at("2026-10-12T10:00:00Z") });
  await insertGrantWithExposure({ mspId: suite.msp.mspId, customerId: other, memberId: bob.id, state: "ended", usableFrom: at("2026-11-10T09:00:00Z"), usableTo: at("2026-11-10T10:00:00Z") });
  await systemTxBypassingRls((tx) =>
    tx.insert(grantSteps).values([
      { id: newId("grantStep"), mspId: suite.msp.mspId, grantId: acrossStart, step: "expiry:remove_roles", status: "succeeded", startedAt: at("2026-10-31T23:29:00Z"), finishedAt: at("2026-10-31T23:29:30Z"), detail: "No role assignments left" },
      { id: newId("grantStep"), mspId: suite.msp.mspId, grantId: acrossStart, step: "expiry:disable", status: "succeeded", startedAt: at("2026-10-31T23:29:30Z"), finishedAt: at("2026-10-31T23:30:00Z"), detail: "Account disabled" },
      { id: newId("grantStep"), mspId: suite.msp.mspId, grantId: acrossStart, step: "create_user", status: "succeeded", startedAt: at("2026-10-31T21:59:00Z"), finishedAt: at("2026-10-31T22:00:00Z") },
      { id: newId("grantStep"), mspId: suite.msp.mspId, grantId: acrossEnd, step: "expiry:remove_roles", status: "failed", startedAt: at("2026-11-30T23:30:00Z"), finishedAt: at("2026-11-30T23:31:00Z"), detail: "Graph answered 503" },
    ]),
  );
  return { customer, alice, bob, ids: { october, acrossStart, inside, acrossEnd, failed } };
}

let seeded: Awaited<ReturnType<typeof seedNovember>> | undefined;
const november = async () => (seeded ??= await seedNovember());

describe("readMonthlyStatement", () => {
  it("holds the grants that could act in the customer's month, exposure cut to its edges, and the steps that removed them", async () => {
    const { customer, ids } = await november();
    const s = await readMonthlyStatement(contextFor(suite.msp.owner), customer, { month: "2026-11" });
    expect([s.month.from.toISOString(), s.month.to.toISOString()]).toEqual(["2026-10-31T23:00:00.000Z", "2026-11-30T23:00:00.000Z"]);
    expect(s.grants.map((g) => g.id)).toEqual([ids.acrossStart, ids.inside, ids.failed, ids.acrossEnd]);
    expect(s.totals).toEqual({ grants: 4, technicians: 2, exposureHours: 3, removalUnproven: 2 });
    expect(s).toMatchObject({ mspName: "Statement MSP", customer: { name: "Northwind Statement", timeZone: "Europe/Berlin" } });

    const byId = new Map(s.grants.map((g) => [g.id, g]));
    expect(byId.get(ids.acrossStart)).toMatchObject({
      technician: { name: "Zoë Łukasiewicz" }, plannedMinutes: 60, ongoing: false, removalUnproven: false,
      exposure: { from: at("2026-10-31T23:00:00Z"), to: at("2026-10-31T23:30:00Z"), minutes: 30 },
      removal: [
        { action: "remove_roles", label: "Remove role assignments", status: "succeeded", at: at("2026-10-31T23:29:30Z") },
        { action: "disable", label: "Disable the account", status: "succeeded", at: at("2026-10-31T23:30:00Z") },
      ],
    });
    expect(byId.get(ids.inside)).toMatchObject({
      technician: { name: "Bob Statement" }, justification: "Ticket 4711: reset the CFO's MFA", ticketRef: "T-4711", roles: ["Helpdesk Administrator"],
      plannedMinutes: 90, exposure: { minutes: 90 }, removal: [],
    });
    expect(byId.get(ids.acrossEnd)).toMatchObject({
      state: "irrevocable", ongoing: true, removalUnproven: true, exposure: { to: at("2026-11-30T23:00:00Z"), minutes: 60 },
      removal: [{ status: "failed", detail: "Graph answered 503" }],
    });
    expect(byId.get(ids.failed)).toMatchObject({ removalUnproven: true, exposure: null, failureReason: "Graph refused the role assignment" });

    // The statement's own audit event is the chain head it names.
    const audit = await lastAudit("customer.statement_read", customer);
    expect(audit).toMatchObject({ seq: s.chainHead.seq, hash: s.chainHead.hash, metadata: { month: "2026-11", grants: 4 } });

    expect((await readMonthlyStatement(contextFor(suite.msp.owner), customer, { month: "2026-10" })).grants.map((g) => g.id)).toEqual([ids.october, ids.acrossStart]);
    expect((await readMonthlyStatement(contextFor(await inviteMember(suite.msp.owner, "auditor")), customer, { month: "2026-11" })).totals.grants).toBe(4);
  });

  it("shows a grant's real expiry steps, in the current month by default", async () => {
    const setup = await jitReadyCustomer(suite.msp);
    const grant = await requestGrant(contextFor(setup.technician), {
      customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification: "Ticket 5150: statement of a real grant",
    });
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    await endGrant(contextFor(setup.technician), grant.id, "ended_by_technician");
    await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false });

    const s = await readMonthlyStatement(contextFor(suite.msp.owner), setup.customer.id);
    const [g] = s.grants;
    expect(s.grants).toHaveLength(1);
    expect(g).toMatchObject({ id: grant.id, state: "ended", roles: ["Helpdesk Administrator", "User Administrator"], ongoing: false, removalUnproven: false });
    expect(g!.removal.map((r) => [r.action, r.status])).toEqual(setup.customer.expiryActions.map((a) => [a, "succeeded"]));
    expect(g!.exposure!.to).toEqual(g!.usableTo);
  });

  it("is for owners, admins and auditors of the customer's own MSP, for a month written YYYY-MM", async () => {
    const { customer, alice } = await november();
    await expectAppError(readMonthlyStatement(contextFor(alice), customer, { month: "2026-11" }), "forbidden");
    const stranger = await seedMspDirectly({ mspName: "Stranger MSP" });
    await expectAppError(readMonthlyStatement(contextFor(stranger.owner), customer, { month: "2026-11" }), "not_found");
    await expectValidation(readMonthlyStatement(contextFor(suite.msp.owner), customer, { month: "2026-13" }), "month");
    await expectValidation(readMonthlyStatement(contextFor(suite.msp.owner), customer, { month: "November" }), "month");
  });
});

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

async function getPdf(customerId: string, auth: string, month = "2026-11") {
  const op = operations.getCustomerStatementPdf;
  const mod = (await import(path.join(process.cwd(), routeFileOf(op)))) as { GET: Handler };
  const url = `http://localhost:3000${operationUrl(op, { customerId }, { month })}`;
  return mod.GET(new NextRequest(url, { headers: { authorization: auth, [CLIENT_ADDRESS_HEADER]: freshIp() } }), { params: Promise.resolve({ customerId }) });
}

async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  const standardFontDataUrl = path.join(process.cwd(), "node_modules/pdfjs-dist/standard_fonts/");
  const pdf = await getDocument({ data: bytes, standardFontDataUrl, useSystemFonts: false, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((item) => ("str" in item ? item.str : "")).join(" "));
  }
  await pdf.destroy();
  return { pages: pdf.numPages, text: pages.join("\n").replace(/\s+/g, " ") };
}

describe("GET /api/v1/customers/{customerId}/statement.pdf", () => {
  it("answers a PDF with the month's grants, technicians, totals, page numbers and the audit chain head", async () => {
    const { customer } = await november();
    const { token } = await newToken(suite.msp.owner, { scopes: ["grants:read"] });
    const res = await getPdf(customer, bearer(token));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toContain(`stint-statement-${customer}-2026-11.pdf`);
    const { pages, text } = await pdfText(new Uint8Array(await res.arrayBuffer()));
    for (const expected of [
      "Admin access statement", "Northwind Statement, November 2026 (Europe/Berlin), by Statement MSP", "Zoë Łukasiewicz", "Bob Statement",
      "Ticket 4711: reset the CFO's MFA", "T-4711", "Helpdesk Administrator", "Grants 4", "Technicians 2", "Hours of admin exposure 3.00 h",
      "Removal not proven 2", "Remove role assignments", "Graph answered 503", `Page 1 of ${pages}`, `Page ${pages} of ${pages}`,
    ]) expect(text).toContain(expected);
    const audit = await lastAudit("customer.statement_read", customer);
    expect(text).toContain(`seq ${audit!.seq}, hash ${audit!.hash}`);
  });

  it("needs the grants:read scope and a customer of the token's MSP", async () => {
    const { customer } = await november();
    const { token: withoutScope } = await newToken(suite.msp.owner, { scopes: ["customers:read"] });
    expect((await getPdf(customer, bearer(withoutScope))).status).toBe(403);
    const stranger = await seedMspDirectly({ mspName: "Stranger PDF MSP" });
    const { token: foreign } = await newToken(stranger.owner, { scopes: ["grants:read"] });
    expect((await getPdf(customer, bearer(foreign))).status).toBe(404);
    const { token } = await newToken(suite.msp.owner, { scopes: ["grants:read"] });
    const bad = await getPdf(customer, bearer(token), "2026-1");
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: { code: "validation_failed", field: "month" } });
  });
});
