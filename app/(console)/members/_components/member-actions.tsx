"use client";

import { useState } from "react";
import { api } from "@/components/api/client";
import { useConsoleAction } from "@/components/api/use-console-action";
import { withStepUp } from "@/components/auth/passkey-ceremonies";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import type { MemberRole } from "@/lib/vocabulary/member-roles";
import { roleLabels } from "@/lib/auth/permissions";
import { OneTimeLink } from "./one-time-link";

type Props = {
  member: { id: string; email: string; role: MemberRole; status: "active" | "disabled" };
  assignableRoles: MemberRole[];
};

export function MemberActions({ member, assignableRoles }: Props) {
  const { busy, error, run } = useConsoleAction();
  const [link, setLink] = useState<string | null>(null);

  const params = { memberId: member.id };
  return (
    <div className="grid justify-items-end gap-2">
      <div className="flex items-center justify-end gap-2">
        <Select
          aria-label={`Role of ${member.email}`}
          className="h-8 w-36"
          value={member.role}
          disabled={busy}
          onChange={(e) => {
            const role = e.target.value as MemberRole;
            void run(() => withStepUp(() => api("changeMemberRole", { params, body: { role } })));
          }}
        >
          {assignableRoles.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </Select>
        {member.status === "active" ? (
          <Button variant="destructive" size="sm" disabled={busy} onClick={() => run(() => withStepUp(() => api("disableMember", { params })))}>
            Disable
          </Button>
        ) : (
          <Button variant="outline" size="sm" disabled={busy} onClick={() => run(() => withStepUp(() => api("enableMember", { params })))}>
            Enable
          </Button>
        )}
        <Button
          variant="outline"
          size="sm"
          disabled={busy}
          onClick={() =>
            run(async () => {
              const res = await withStepUp(() => api("reissueMemberInvite", { params }));
              setLink(res.link);
            })
          }
        >
          Re-issue invite
        </Button>
      </div>
      {error ? <Alert variant="error" className="text-left">{error}</Alert> : null}
      {link ? <div className="w-[32rem] text-left"><OneTimeLink link={link} who={member.email} /></div> : null}
    </div>
  );
}
