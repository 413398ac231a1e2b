import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { systemContext } from "@/lib/services/context";
import { endGrant } from "@/lib/services/grants/end";
import { expireGrant } from "@/lib/services/grants/expire";
import { provisionGrant } from "@/lib/services/grants/provision";
import { listAllGrants } from "@/lib/services/grants/list";
import { requestGrant } from "@/lib/services/grants/request";
import { listAuditEvents } from "@/lib/services/audit/list";
import { deliverNotification } from "@/lib/services/notifications/deliver";
import { fanOutNotification } from "@/lib/services/notifications/fan-out";
import { createAccessPolicy } from "@/lib/services/policies/create";
import { contextFor, expectAppError } from "@/test/factories";
import { grantSuite, readGrant, stepsOf } from "@/test/grant-harness";
import { jitReadyCustomer } from "@/test/grants";
import { startReceiver, type ReceiverAnswer } from "@/test/webhook-receiver";
import type { HookCall } from "@/lib/hooks/protocol";
import { createAccessHook } from "./create";
import { updateAccessHook } from "./update";

// Everything this process logs, at every level, to search for what must never be logged.
const logged = vi.hoisted(() => [] as string[]);
vi.mock("@/lib/logger", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/logger")>();
  const { Writable } = await import("node:stream");
  const logger = real.createLogger(new Writable({ write: (chunk, _encoding, done) => (logged.push(String(chunk)), done()) }));
  logger.level = "trace";
  return { ...real, logger };
});

// Access-decision hooks over a signed webhook: authenticate verdicts and questions, authorize before the account
// is made, session_ended once when access is gone, cookies, metadata, failure policies and the audit trail.
const suite = grantSuite("hooks", "Hooks MSP");
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const justification = "Ticket 4242: hooks integration test";

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

const admin = () => contextFor(suite.msp.owner, { stepUp: "fresh" });
const calls = (since: number) => receiver.requests.slice(since).map((r) => ({ headers: r.headers, body: JSON.parse(r.body) as HookCall }));

/** A customer whose policy runs one webhook hook at the given moments; answers queued on the receiver. */
async function hooked(events: ("authenticate" | "authorize" | "session_ended")[], extra: { onFailure?: "deny" | "allow"; timeoutMs?: number } = {}) {
  const setup = await jitReadyCustomer(suite.msp);
  const policy = await createAccessPolicy(contextFor(suite.msp.owner), { name: `Hooked ${setup.customer.name}`, customerId: setup.customer.id });
  const { hook, secret } = await createAccessHook(admin(), policy.id, { kind: "webhook", name: "Change board", events, url: receiver.url, ...extra });
  const ask = (more: Record<string, unknown> = {}) =>
    requestGrant(contextFor(setup.technician), { customerId: setup.customer.id, accessLevelIds: [setup.level.id], durationMinutes: 30, justification, ...more });
  return { ...setup, policy, hook, secret: secret!, ask };
}

const answer = (json: Record<string, unknown>): ReceiverAnswer => ({ json });

/** Sends what the outbox holds for this MSP now, as the worker would, and returns the outcomes. */
async function sendAll() {
  const events = await suite.sql<{ id: string }[]>`select id from notification_outbox where msp_id = ${suite.msp.mspId} and fanned_out_at is null`;
  const outcomes = [];
  for (const e of events) for (const d of await fanOutNotification(suite.msp.mspId, e.id)) outcomes.push(await deliverNotification(suite.msp.mspId, d));
  return outcomes;
}

describe("authenticate", () => {
  it("ACCEPT lets the request through; the call is signed and names the request; metadata and cookies are kept", async () => {
    const setup = await hooked(["authenticate"]);
    const before = receiver.requests.length;
    receiver.answer(answer({ verdict: "ACCEPT", additional_metadata: "CAB-77 approved", cookie: { cab: "CAB-77" }, session_cookie: { board: "ok" } }));

    const grant = await setup.ask({ ticketRef: "T-1" });

    const [call] = calls(before);
    const raw = receiver.requests[before]!;
    expect(() => new Webhook(setup.secret).verify(raw.body, raw.headers as Record<string, string>)).not.toThrow();
    expect(call!.body).toMatchObject({
      type: "authenticate",
      hook: { id: setup.hook.id, name: "Change board" },
      dry_run: false,
      grant: { grant_id: null, customer: { id: setup.customer.id }, technician: { id: setup.technician.id }, duration_minutes: 30, justification, ticket: "T-1" },
      key_value_pairs: {},
      cookie: {},
      session_cookie: {},
    });
    expect(grant.hookMetadata).toBe("CAB-77 approved");
    const [row] = await suite.sql`select cookie_envelope, metadata from grant_hooks where grant_id = ${grant.id}`;
    expect(row!.metadata).toBe("CAB-77 approved");
    expect(String(row!.cookie_envelope)).toMatch(/^v1\./);
    expect(String(grant.sessionCookieEnvelope)).toMatch(/^v1\./);
    const [audit] = await suite.sql`select result, metadata from audit_events where action = 'hook.authenticate' and target_id = ${setup.customer.id}`;
    expect(audit).toMatchObject({ result: "success", metadata: { hook: "Change board", verdict: "ACCEPT", additionalMetadata: "CAB-77 approved" } });
    expect(typeof audit!.metadata.latencyMs).toBe("number");

    // What the hook said is searchable, in grants and in the audit log.
    const owner = contextFor(suite.msp.owner);
    expect((await listAllGrants(owner, { scope: "all", q: "cab-77" })).map((g) => g.id)).toEqual([grant.id]);
    expect((await listAuditEvents(owner, { text: "CAB-77", action: "hook." })).map((e) => e.action)).toEqual(["hook.authenticate"]);
  });

  it("DENY refuses the request with the hook's message and writes no grant; NONE has no opinion", async () => {
    const setup = await hooked(["authenticate"]);
    receiver.answer(answer({ verdict: "DENY", message: "No change window today." }));
    const err = await expectAppError(setup.ask(), "validation_failed");
    expect(err.message).toBe("Change board: No change window today.");
    expect(err.details).toMatchObject({ reasons: [{ code: "hook_denied" }] });
    expect(await suite.sql`select id from grants where customer_id = ${setup.customer.id}`).toHaveLength(0);

    receiver.answer(answer({ verdict: "NONE" }));
    expect((await setup.ask()).state).toBe("approved");
  });

  it("NEEDINFO asks the technician; the hidden answer reaches the hook once and is never stored, logged or audited", async () => {
    const setup = await hooked(["authenticate", "authorize"]);
    const otp = "914273";
    const before = receiver.requests.length;
    receiver.answer(
      answer({ verdict: "NEEDINFO", message: "Confirm with your token.", questions: [{ key: "otp", prompt: "One-time code", hidden: true }, { key: "change", prompt: "Change number" }], cookie: { tries: 1 } }),
      answer({ verdict: "ACCEPT", additional_metadata: "CHG-5", cookie: { tries: 2 } }),
    );

    const asked = await expectAppError(setup.ask(), "needs_info");
    expect(asked.status).toBe(422);
    expect(asked.details).toMatchObject({ hook: "Change board", round: 1, roundsLeft: 2, questions: [{ key: "otp", prompt: "One-time code", hidden: true }, { key: "change", hidden: false }] });
    const conversationId = (asked.details as { conversationId: string }).conversationId;

    const grant = await setup.ask({ hookReply: { conversationId, answers: { otp, change: "CHG-5" } } });

    const [, second] = calls(before);
    expect(second!.body.key_value_pairs).toEqual({ otp, change: "CHG-5" });
    expect(second!.body.cookie).toEqual({ tries: 1 });
    expect(grant.hookAnswers).toEqual({ change: "CHG-5" });
    // The conversation is over: it cannot be replayed, and an unknown one is refused.
    expect(await suite.sql`select id from hook_conversations where id = ${conversationId}`).toHaveLength(0);

    // authorize later sees the kept answers only.
    receiver.answer(answer({ verdict: "ACCEPT" }));
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    expect(calls(before)[2]!.body).toMatchObject({ type: "authorize", key_value_pairs: { change: "CHG-5" }, cookie: { tries: 2 } });

    const everywhere = await suite.sql`
      select (select count(*) from audit_events where metadata::text like ${`%${otp}%`} or coalesce(reason, '') like ${`%${otp}%`})
           + (select count(*) from grants where row_to_json(grants)::text like ${`%${otp}%`})
           + (select count(*) from grant_hooks where row_to_json(grant_hooks)::text like ${`%${otp}%`})
           + (select count(*) from hook_conversations where row_to_json(hook_conversations)::text like ${`%${otp}%`}) as n`;
    expect(Number(everywhere[0]!.n)).toBe(0);
    expect(logged.join("")).not.toContain(otp);
    const [audited] = await suite.sql`select metadata from audit_events where action = 'hook.authenticate' and metadata->>'round' = '2' and target_id = ${setup.customer.id}`;
    expect(audited!.metadata.answered.sort()).toEqual(["change", "otp"]);
  });

  it("hooks run in order and share the session cookie; each keeps its own cookie into authorize", async () => {
    const setup = await hooked(["authenticate", "authorize"]);
    await createAccessHook(admin(), setup.policy.id, { kind: "webhook", name: "Second opinion", events: ["authenticate", "authorize"], url: receiver.url });
    const before = receiver.requests.length;
    receiver.answer(
      answer({ verdict: "ACCEPT", cookie: { mine: "first" }, session_cookie: { chain: ["first"] } }),
      answer({ verdict: "NONE", cookie: { mine: "second" }, session_cookie: { chain: ["first", "second"] } }),
      answer({ verdict: "ACCEPT" }),
      answer({ verdict: "ACCEPT" }),
    );
    const grant = await setup.ask();
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    const seen = calls(before).map((c) => ({ type: c.body.type, hook: c.body.hook.name, cookie: c.body.cookie, session: c.body.session_cookie }));
    expect(seen).toEqual([
      { type: "authenticate", hook: "Change board", cookie: {}, session: {} },
      { type: "authenticate", hook: "Second opinion", cookie: {}, session: { chain: ["first"] } },
      { type: "authorize", hook: "Change board", cookie: { mine: "first" }, session: { chain: ["first", "second"] } },
      { type: "authorize", hook: "Second opinion", cookie: { mine: "second" }, session: { chain: ["first", "second"] } },
    ]);
  });

  it("the answers must come with the request the questions were about: hooks that accepted are not asked twice", async () => {
    const setup = await hooked(["authenticate"]);
    receiver.answer(answer({ verdict: "NEEDINFO", questions: [{ key: "code", prompt: "Code" }] }));
    const asked = await expectAppError(setup.ask({ durationMinutes: 30 }), "needs_info");
    const hookReply = { conversationId: (asked.details as { conversationId: string }).conversationId, answers: { code: "1" } };
    const changed = await expectAppError(setup.ask({ durationMinutes: 240, hookReply }), "conflict");
    expect(changed.message).toBe("The request changed after the questions were asked: send it again, and answer them again.");
    await expectAppError(setup.ask({ durationMinutes: 30, hookReply }), "gone");
  });

  it("a hook that keeps asking is cut off after three rounds; an unknown conversation is refused", async () => {
    const setup = await hooked(["authenticate"]);
    await expectAppError(setup.ask({ hookReply: { conversationId: "hcv_unknown", answers: { code: "1" } } }), "gone");
    const question = answer({ verdict: "NEEDINFO", questions: [{ key: "code", prompt: "Code" }] });
    receiver.answer(question, question, question, question);
    let reply: { conversationId: string; answers: Record<string, string> } | undefined;
    for (const round of [1, 2, 3]) {
      const err = await expectAppError(setup.ask(reply ? { hookReply: reply } : {}), "needs_info");
      expect(err.details).toMatchObject({ round });
      reply = { conversationId: (err.details as { conversationId: string }).conversationId, answers: { code: "wrong" } };
    }
    const err = await expectAppError(setup.ask({ hookReply: reply }), "validation_failed");
    expect(err.message).toBe("Change board asked 3 times without getting what it needs.");
  });

  it("a hook that does not answer counts as its failure policy says", async () => {
    const strict = await hooked(["authenticate"], { timeoutMs: 500 });
    receiver.answer("hang");
    const err = await expectAppError(strict.ask(), "validation_failed");
    expect(err.message).toBe("Change board: Change board did not answer: No answer within 500 ms.");

    const lenient = await hooked(["authenticate"], { timeoutMs: 500, onFailure: "allow" });
    receiver.answer(500);
    expect((await lenient.ask()).state).toBe("approved");
    const [audit] = await suite.sql`select metadata from audit_events where action = 'hook.authenticate' and target_id = ${lenient.customer.id}`;
    expect(audit!.metadata).toMatchObject({ verdict: "NONE", failed: "HTTP 500: not now" });
  });

  it("an answer that is not a verdict is a failure, not a yes", async () => {
    const setup = await hooked(["authenticate"]);
    receiver.answer(answer({ verdict: "MAYBE" }));
    const err = await expectAppError(setup.ask(), "validation_failed");
    expect(err.message).toContain("did not answer: The answer is not a verdict");
  });
});

describe("authorize", () => {
  it("DENY before the account is made denies the grant with the hook's message; nothing is created", async () => {
    const setup = await hooked(["authorize"]);
    const grant = await setup.ask();
    receiver.answer(answer({ verdict: "DENY", message: "Ticket closed meanwhile." }));
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "denied" });
    const after = await readGrant(suite.msp.mspId, grant.id);
    expect(after).toMatchObject({ state: "denied", denialReason: "Change board: Ticket closed meanwhile.", entraUserId: null });
    expect((await stepsOf(suite.msp.mspId, grant.id)).find((s) => s.step === "authorize")).toMatchObject({ status: "failed" });
  });

  it("ACCEPT lets provisioning go on, and a retried provisioning never asks again", async () => {
    const setup = await hooked(["authorize"]);
    const grant = await setup.ask();
    const before = receiver.requests.length;
    receiver.answer(answer({ verdict: "ACCEPT", additional_metadata: "noted on the ticket" }));
    const ctx = systemContext(suite.msp.mspId, "grant.provision");
    expect(await provisionGrant(ctx, grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    expect(await provisionGrant(ctx, grant.id, { finalAttempt: false })).toMatchObject({ state: "active" });
    expect(calls(before).filter((c) => c.body.type === "authorize")).toHaveLength(1);
    const after = await readGrant(suite.msp.mspId, grant.id);
    expect(after.authorizedAt).not.toBeNull();
    expect(after.hookMetadata).toBe("noted on the ticket");
  });

  it("a hook turned off no longer takes part", async () => {
    const setup = await hooked(["authorize"]);
    await updateAccessHook(admin(), setup.hook.id, { enabled: false });
    const before = receiver.requests.length;
    const grant = await setup.ask();
    expect(await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false })).toEqual({ state: "active" });
    expect(receiver.requests.length).toBe(before);
  });
});

describe("session_ended", () => {
  it("is called once when access is gone, with the real exposure and the proof, retried with the same id until acknowledged", async () => {
    const setup = await hooked(["authenticate", "session_ended"]);
    receiver.answer(answer({ verdict: "ACCEPT", cookie: { ticket: "T-9" }, session_cookie: { shared: true } }));
    const grant = await setup.ask();
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    await endGrant(contextFor(setup.technician), grant.id, "ended_by_technician");
    expect(await expireGrant(systemContext(suite.msp.mspId, "grant.expire"), grant.id, { finalAttempt: false })).toEqual({ state: "ended" });

    const before = receiver.requests.length;
    receiver.answer(503);
    const first = await sendAll();
    expect(first).toContainEqual(expect.objectContaining({ outcome: "retry" }));
    await suite.sql`update notification_deliveries set next_attempt_at = now() where grant_hook_id is not null and state = 'pending' and msp_id = ${suite.msp.mspId}`;
    const [delivery] = await suite.sql`select id from notification_deliveries where grant_hook_id is not null and msp_id = ${suite.msp.mspId} and state = 'pending'`;
    expect(await deliverNotification(suite.msp.mspId, delivery!.id as string)).toEqual({ outcome: "delivered" });

    const ended = calls(before).filter((c) => c.body.type === "session_ended");
    expect(ended).toHaveLength(2);
    expect(ended[0]!.headers["webhook-id"]).toBe(ended[1]!.headers["webhook-id"]);
    expect(ended[1]!.body).toMatchObject({
      call_id: ended[0]!.headers["webhook-id"],
      cookie: { ticket: "T-9" },
      session_cookie: { shared: true },
      grant: { grant_id: grant.id, upn: grant.upn },
      session: { final_state: "ended", end_reason: "ended_by_technician" },
    });
    const session = ended[1]!.body.session as { exposure_minutes: number; proof: { step: string; status: string }[] };
    expect(session.exposure_minutes).toBeGreaterThanOrEqual(0);
    expect(session.proof.map((p) => p.step)).toEqual(expect.arrayContaining(["expiry:remove_roles", "expiry:disable"]));
    expect(session.proof.every((p) => p.status === "succeeded")).toBe(true);
    expect((await stepsOf(suite.msp.mspId, grant.id)).some((s) => s.step === "session_ended")).toBe(true);

    // Nothing more is owed: a second run finds the delivery done.
    expect(await deliverNotification(suite.msp.mspId, delivery!.id as string)).toEqual({ outcome: "skipped" });
    expect(await suite.sql`select id from notification_deliveries where grant_hook_id is not null and outbox_id in (select id from notification_outbox where grant_id = ${grant.id})`).toHaveLength(1);
  });

  it("a request denied by its hook at authorize still ends its session once", async () => {
    const setup = await hooked(["authorize", "session_ended"]);
    const grant = await setup.ask();
    receiver.answer(answer({ verdict: "DENY" }));
    await provisionGrant(systemContext(suite.msp.mspId, "grant.provision"), grant.id, { finalAttempt: false });
    const before = receiver.requests.length;
    await sendAll();
    const ended = calls(before).filter((c) => c.body.type === "session_ended");
    expect(ended).toHaveLength(1);
    expect(ended[0]!.body.session).toMatchObject({ final_state: "denied", exposure_minutes: null });
  });
});
