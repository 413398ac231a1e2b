import { randomUUID } from "node:crypto";
import { z } from "zod";
import { hookEvents } from "@/lib/vocabulary/hooks";

/** A hook's own state, handed back on its next call: a flat JSON object, small enough to seal and keep. */
const cookie = z
  .record(z.string().max(100), z.unknown())
  .refine((c) => JSON.stringify(c).length <= 4096, "A cookie holds at most 4 KiB of JSON.");

export const hookQuestion = z.object({
  key: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, "A question's key is 1–40 letters, digits, '_', '.' or '-'."),
  prompt: z.string().trim().min(1).max(200),
  /** The answer is a secret (a one-time code): typed unseen, never stored, logged or audited. */
  hidden: z.boolean().default(false),
});
export type HookQuestion = z.output<typeof hookQuestion>;

/** What a hook answers, as JSON over the webhook or from a built-in plugin. */
export const hookAnswer = z.discriminatedUnion("verdict", [
  z.object({ verdict: z.literal("ACCEPT") }),
  z.object({ verdict: z.literal("NONE") }),
  z.object({ verdict: z.literal("DENY"), message: z.string().trim().max(500).optional() }),
  z.object({ verdict: z.literal("NEEDINFO"), message: z.string().trim().max(500).optional(), questions: z.array(hookQuestion).min(1).max(5) }),
]).and(
  z.object({
    additional_metadata: z.string().max(1000).optional(),
    cookie: cookie.optional(),
    session_cookie: cookie.optional(),
  }),
);
export type HookAnswer = z.output<typeof hookAnswer>;

const time = z.iso.datetime({ offset: true });
const jsonObject = z.record(z.string(), z.unknown());

/** The facts of the request or grant a hook decides on. */
export const hookGrantFacts = z.object({
  grant_id: z.string().nullable().meta({ description: "Null at authenticate: the grant is not written yet." }),
  msp_id: z.string(),
  customer: z.object({ id: z.string(), name: z.string(), tenant_id: z.string() }),
  technician: z.object({ id: z.string(), email: z.string(), name: z.string() }),
  access_levels: z.array(z.string()),
  roles: z.array(z.string()).meta({ description: "Directory role template ids." }),
  duration_minutes: z.number().int(),
  justification: z.string(),
  ticket: z.string().nullable(),
  start_at: time,
  upn: z.string().nullable().meta({ description: "The JIT account's UPN; null at authenticate." }),
  link: z.string().nullable().meta({ description: "The grant's page in Stint; null at authenticate." }),
});
export type HookGrantFacts = z.output<typeof hookGrantFacts>;

/** What ended access, for session_ended: the exposure as it really was and how its removal was proven. */
export const hookSessionFacts = z.object({
  final_state: z.string(),
  end_reason: z.string().nullable(),
  usable_from: time.nullable(),
  usable_to: time.nullable(),
  exposure_minutes: z.number().int().nullable().meta({ description: "Usable time, a started minute counted; null when no account was usable." }),
  proof: z.array(z.object({ step: z.string(), status: z.string(), detail: z.string().nullable(), at: time.nullable() })),
});
export type HookSessionFacts = z.output<typeof hookSessionFacts>;

/** One call to one hook. `call_id` is the same on every retry of a session_ended call. */
export const hookCall = z.object({
  type: z.enum(hookEvents),
  call_id: z.string(),
  hook: z.object({ id: z.string(), name: z.string() }),
  dry_run: z.boolean().meta({ description: "The policy evaluation: look, but change nothing anywhere." }),
  grant: hookGrantFacts,
  key_value_pairs: z.record(z.string(), z.string()).meta({ description: "The technician's answers to this hook's questions (authenticate) or the kept ones (later calls)." }),
  cookie: jsonObject,
  session_cookie: jsonObject,
  session: hookSessionFacts.optional().meta({ description: "session_ended only." }),
});
export type HookCall = z.output<typeof hookCall>;

/** A call with the defaults of a live one: a fresh id, not a dry run, no answers and no cookies yet. */
export function newHookCall(args: {
  type: HookCall["type"];
  hook: { id: string; name: string };
  grant: HookGrantFacts;
  callId?: string;
  dryRun?: boolean;
  keyValuePairs?: Record<string, string>;
  cookie?: Record<string, unknown>;
  sessionCookie?: Record<string, unknown>;
  session?: HookSessionFacts;
}): HookCall {
  return {
    type: args.type,
    call_id: args.callId ?? randomUUID(),
    hook: { id: args.hook.id, name: args.hook.name },
    dry_run: args.dryRun ?? false,
    grant: args.grant,
    key_value_pairs: args.keyValuePairs ?? {},
    cookie: args.cookie ?? {},
    session_cookie: args.sessionCookie ?? {},
    ...(args.session ? { session: args.session } : {}),
  };
}

