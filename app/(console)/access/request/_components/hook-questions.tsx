"use client";

import { Input } from "@/components/ui/input";
import { Field } from "@/components/ui/label";

export type HookQuestion = { key: string; prompt: string; hidden: boolean };
export type PendingQuestions = { conversationId: string; hook: string; message: string; questions: HookQuestion[]; roundsLeft: number };

/**
 * What a policy's hook asks before it decides (a ticket number, a one-time code), answered and sent with the
 * request again. A hidden answer is typed unseen, and is never stored.
 */
export function HookQuestions({ pending, answers, onChange }: { pending: PendingQuestions; answers: Record<string, string>; onChange: (key: string, value: string) => void }) {
  return (
    <fieldset className="grid gap-3 rounded-md border border-primary/40 bg-primary/5 p-4" data-testid="hook-questions">
      <legend className="px-1 text-sm font-medium">{pending.hook} asks</legend>
      <p className="text-sm">{pending.message}</p>
      {pending.questions.map((q, i) => (
        <div key={q.key} className="max-w-md">
          <Field id={`hook-answer-${q.key}`} label={q.prompt} hint={q.hidden ? "Typed unseen; Stint passes it on and never keeps it." : undefined}>
            <Input
              id={`hook-answer-${q.key}`}
              type={q.hidden ? "password" : "text"}
              autoComplete={q.hidden ? "one-time-code" : "off"}
              autoFocus={i === 0}
              value={answers[q.key] ?? ""}
              onChange={(e) => onChange(q.key, e.target.value)}
            />
          </Field>
        </div>
      ))}
      {pending.roundsLeft < 2 ? <p className="text-xs text-muted-foreground">{pending.roundsLeft === 0 ? "This is the last try." : "One more try after this."}</p> : null}
    </fieldset>
  );
}
