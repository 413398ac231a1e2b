"use client";

import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { GLOBAL_ADMINISTRATOR } from "@/lib/entra/role-catalog";
import type { CatalogRole } from "@/lib/services/access-levels/catalog";

type Props = { catalog: CatalogRole[]; value: string[]; onChange: (value: string[]) => void; idPrefix: string };

function RoleGroup({ title, roles, value, onChange, idPrefix }: Props & { title: string; roles: CatalogRole[] }) {
  if (roles.length === 0) return null;
  return (
    <fieldset className="grid gap-1.5">
      <legend className="mb-1 text-xs font-medium uppercase tracking-wide text-muted-foreground">{title}</legend>
      <ul className="grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
        {roles.map((r) => {
          const id = `${idPrefix}-${r.templateId}`;
          return (
            <li key={r.templateId} className="flex items-center gap-2 text-sm">
              <input
                id={id}
                type="checkbox"
                className="h-4 w-4 accent-primary"
                checked={value.includes(r.templateId)}
                onChange={(e) => onChange(e.target.checked ? [...value, r.templateId] : value.filter((v) => v !== r.templateId))}
              />
              <label htmlFor={id} className="flex items-center gap-1.5">
                {r.displayName}
                {r.templateId === GLOBAL_ADMINISTRATOR ? <Badge variant="destructive">Global Admin</Badge> : null}
                {r.isBuiltIn ? null : <Badge variant="muted">Custom</Badge>}
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

/** The directory roles to bundle, privileged ones first; choosing Global Administrator raises a warning. */
export function RoleChecklist(props: Props) {
  const { catalog, value } = props;
  return (
    <div className="grid gap-3">
      <RoleGroup {...props} title="Privileged roles" roles={catalog.filter((r) => r.isPrivileged)} />
      <RoleGroup {...props} title="Other roles" roles={catalog.filter((r) => !r.isPrivileged)} />
      {value.includes(GLOBAL_ADMINISTRATOR) ? (
        <Alert variant="warning" data-testid="global-admin-warning">
          Global Administrator can do anything in the customer&apos;s tenant, including removing Stint&apos;s access. Prefer narrower roles, and delegate a level
          that includes it to as few people as possible.
        </Alert>
      ) : null}
    </div>
  );
}
