import { z } from "zod";
import type { HookEvent } from "@/lib/vocabulary/hooks";

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

/** The facts of the request or grant a hook decides on. */
export type HookGrantFacts = {
  grant_id: string | null;
  msp_id: string;
  customer: { id: string; name: string; tenant_id: string };
  technician: { id: string; email: string; name: string };
  access_levels: string[];
  roles: string[];
  duration_minutes: number;
  justification: string;
  ticket: string | null;
  start_at: string;
  upn: string | null;
  link: string | null;
};

/** What ended access, for session_ended: the exposure as it really was and how its removal was proven. */
export type HookSessionFacts = {
  final_state: string;
  end_reason: string | null;
  usable_from: string | null;
  usable_to: string | null;
  exposure_minutes: number | null;
  proof: { step: string; status: string; detail: string | null; at: string | null }[];
};

/** One call to one hook. `call_id` is the same on every retry of a session_ended call. */
export type HookCall = {
  type: HookEvent;
  call_id: string;
  hook: { id: string; name: string };
  /** The policy dry run: look, but change nothing anywhere. */
  dry_run: boolean;
  grant: HookGrantFacts;
  /** The technician's answers to this hook's questions (authenticate) or the kept ones (later calls). */
  key_value_pairs: Record<string, string>;
  cookie: Record<string, unknown>;
  session_cookie: Record<string, unknown>;
  session?: HookSessionFacts;
};
