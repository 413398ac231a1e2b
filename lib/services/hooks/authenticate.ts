import { and, eq, gt, sql } from "drizzle-orm";
import { hookConversations, type AccessHook } from "@/db/schema";
import { withMspTx } from "@/db/tx";
import { AppError } from "@/lib/errors";
import { newHookCall, type HookGrantFacts, type HookQuestion } from "@/lib/hooks/protocol";
import { newId } from "@/lib/ids";
import { requireMember, type ServiceContext } from "@/lib/services/context";
import { auditHookCall, callHook } from "./call-hook";
import { openConversation, sealConversation } from "./secrets";
import { transportFor } from "./transport-for";

/** Questions asked of one request, at most this many times: then the request is denied. */
export const MAX_ROUNDS = 3;
const CONVERSATION_MINUTES = 15;

type Accepted = { hookId: string; cookie: Record<string, unknown>; metadata: string | null };

/** What the rounds so far established (sealed between rounds): never a hidden answer. */
type ConversationState = {
  accepted: Accepted[];
  sessionCookie: Record<string, unknown>;
  kept: Record<string, string>;
  cookies: Record<string, Record<string, unknown>>;
  /** The keys of the hidden questions last asked: their answers, arriving next round, are never kept. */
  hidden: string[];
  /** What was asked for: hooks that accepted it are not asked again, so the request may not change between rounds. */
  digest: string;
};

/** What the authenticate hooks settled for a request about to be written. */
export type Authenticated = {
  accepted: Accepted[];
  sessionCookie: Record<string, unknown>;
  /** The answers given, without the hidden ones. */
  answers: Record<string, string>;
};

export type HookReply = { conversationId: string; answers: Record<string, string> };

/** A hook said no: the request is refused with its message. */
export class HookDenied extends AppError {
  constructor(readonly hookName: string, message: string) {
    super("validation_failed", message, { details: { reasons: [{ code: "hook_denied", message }], hook: hookName } });
  }
}

function needsInfo(conversationId: string, hook: AccessHook, message: string | undefined, questions: HookQuestion[], round: number) {
  return new AppError("needs_info", message ?? `${hook.name} needs more information.`, {
    details: { conversationId, hook: hook.name, round, roundsLeft: MAX_ROUNDS - round, questions },
  });
}

async function loadConversation(ctx: ServiceContext, memberId: string, customerId: string, reply: HookReply) {
  return withMspTx(ctx.mspId, async (tx) => {
    const [row] = await tx
      .select()
      .from(hookConversations)
      .where(
        and(
          eq(hookConversations.id, reply.conversationId),
          eq(hookConversations.mspId, ctx.mspId),
          eq(hookConversations.memberId, memberId),
          eq(hookConversations.customerId, customerId),
          gt(hookConversations.expiresAt, new Date()),
        ),
      );
    if (!row) throw new AppError("gone", "These questions expired or were already answered: send the request again.", { field: "hookReply" });
    return { round: row.round, state: openConversation<ConversationState>(row.id, row.stateEnvelope) };
  });
}

/** Keeps what a round established and counts it; the round number only grows, whatever the client sends. */
async function saveRound(ctx: ServiceContext, memberId: string, customerId: string, conversationId: string | null, state: ConversationState): Promise<{ id: string; round: number }> {
  return withMspTx(ctx.mspId, async (tx) => {
    const expiresAt = new Date(Date.now() + CONVERSATION_MINUTES * 60_000);
    if (conversationId) {
      const [row] = await tx
        .update(hookConversations)
        .set({ round: sql`${hookConversations.round} + 1`, stateEnvelope: sealConversation(conversationId, state), expiresAt })
        .where(and(eq(hookConversations.id, conversationId), eq(hookConversations.mspId, ctx.mspId)))
        .returning({ id: hookConversations.id, round: hookConversations.round });
      return row!;
    }
    const id = newId("hookConversation");
    await tx.insert(hookConversations).values({ id, mspId: ctx.mspId, memberId, customerId, round: 1, stateEnvelope: sealConversation(id, state), expiresAt });
    return { id, round: 1 };
  });
}

export async function endConversation(ctx: ServiceContext, conversationId: string): Promise<void> {
  await withMspTx(ctx.mspId, (tx) => tx.delete(hookConversations).where(and(eq(hookConversations.id, conversationId), eq(hookConversations.mspId, ctx.mspId))));
}

/**
 * Runs the authenticate hooks of a request, in order, outside any transaction (they are network calls). ACCEPT
 * and NONE go on to the next hook; DENY refuses the request with the hook's message; NEEDINFO answers the
 * technician with the hook's questions (422 needs_info) and a conversation id to send back with the answers,
 * at most {@link MAX_ROUNDS} times. Hooks that already accepted in an earlier round are not asked again.
 * Hidden answers reach only the hook that asked, in that round: they are never kept, logged or audited.
 */
export async function authenticateRequest(ctx: ServiceContext, hooks: AccessHook[], facts: HookGrantFacts, reply: HookReply | null, digest: string): Promise<Authenticated> {
  const me = requireMember(ctx);
  const conversation = reply ? await loadConversation(ctx, me.memberId, facts.customer.id, reply) : null;
  if (conversation && conversation.state.digest !== digest) {
    await endConversation(ctx, reply!.conversationId);
    throw new AppError("conflict", "The request changed after the questions were asked: send it again, and answer them again.", { field: "hookReply" });
  }
  const state: ConversationState = conversation?.state ?? { accepted: [], sessionCookie: {}, kept: {}, cookies: {}, hidden: [], digest };
  const answers = { ...state.kept, ...(reply?.answers ?? {}) };
  const hidden = new Set(state.hidden);
  for (const hook of hooks.filter((h) => h.events.includes("authenticate"))) {
    if (state.accepted.some((a) => a.hookId === hook.id)) continue;
    const call = newHookCall({ type: "authenticate", hook, grant: facts, keyValuePairs: answers, cookie: state.cookies[hook.id], sessionCookie: state.sessionCookie });
    const transport = await withMspTx(ctx.mspId, (tx) => transportFor(tx, hook, facts.customer.id));
    const result = await callHook(hook, transport, call);
    const { answer } = result;
    const round = conversation ? conversation.round + 1 : 1;
    await withMspTx(ctx.mspId, (tx) => auditHookCall(tx, ctx, { hook, call, outcome: result, target: { type: "customer", id: facts.customer.id, label: facts.customer.name }, round }));
    if (answer.session_cookie) state.sessionCookie = answer.session_cookie;
    if (answer.cookie) state.cookies[hook.id] = answer.cookie;
    if (answer.verdict === "DENY") {
      if (reply) await endConversation(ctx, reply.conversationId);
      throw new HookDenied(hook.name, answer.message ? `${hook.name}: ${answer.message}` : `${hook.name} refused the request.`);
    }
    if (answer.verdict === "NEEDINFO") {
      if (round > MAX_ROUNDS) {
        await endConversation(ctx, reply!.conversationId);
        throw new HookDenied(hook.name, `${hook.name} asked ${MAX_ROUNDS} times without getting what it needs.`);
      }
      state.kept = Object.fromEntries(Object.entries(answers).filter(([k]) => !hidden.has(k) && !answer.questions.some((q) => q.key === k)));
      state.hidden = answer.questions.filter((q) => q.hidden).map((q) => q.key);
      const saved = await saveRound(ctx, me.memberId, facts.customer.id, reply?.conversationId ?? null, state);
      throw needsInfo(saved.id, hook, answer.message, answer.questions, saved.round);
    }
    state.accepted.push({ hookId: hook.id, cookie: state.cookies[hook.id] ?? {}, metadata: answer.additional_metadata ?? null });
  }
  return { accepted: state.accepted, sessionCookie: state.sessionCookie, answers: Object.fromEntries(Object.entries(answers).filter(([k]) => !hidden.has(k))) };
}
