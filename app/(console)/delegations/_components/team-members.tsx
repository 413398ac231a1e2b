"use client";

import { X } from "lucide-react";
import { api } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Badge } from "@/components/ui/badge";
import { Select } from "@/components/ui/input";

type Person = { id: string; name: string };
type Props = { teamId: string; teamName: string; members: Person[]; candidates: Person[]; mayManage: boolean };

/** A team's members as chips; managers take one out with its ✕ or add one from the select. */
export function TeamMembers({ teamId, teamName, members, candidates, mayManage }: Props) {
  const { busy, error, run } = useConsoleAction();
  // Joining a team that holds delegations oneself asks for the passkey first.
  const setMembership = (memberId: string, inTeam: boolean) => run(() => withStepUp(() => api("setTeamMembership", { params: { teamId }, body: { memberId, inTeam } })));

  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-center gap-1.5">
        {members.length === 0 ? <span className="text-xs text-muted-foreground">No members yet.</span> : null}
        {members.map((m) => (
          <Badge key={m.id} variant="muted" className="gap-1 py-1 text-foreground">
            {m.name}
            {mayManage ? (
              <button
                type="button"
                className="rounded-full p-0.5 hover:bg-border disabled:opacity-50"
                aria-label={`Remove ${m.name} from ${teamName}`}
                disabled={busy}
                onClick={() => setMembership(m.id, false)}
              >
                <X className="h-3 w-3" />
              </button>
            ) : null}
          </Badge>
        ))}
      </div>
      {mayManage && candidates.length > 0 ? (
        <Select aria-label={`Add a member to ${teamName}`} className="h-8 w-56" value="" disabled={busy} onChange={(e) => e.target.value && setMembership(e.target.value, true)}>
          <option value="">Add a member…</option>
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
      ) : null}
      {error ? <p className="text-xs text-destructive" role="alert">{error}</p> : null}
    </div>
  );
}
