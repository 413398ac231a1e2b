"use client";

import { useState } from "react";
import { api } from "@/components/api/client";
import { ConfirmDialog } from "@/components/console/confirm-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { TD, TR } from "@/components/ui/table";
import { GLOBAL_ADMINISTRATOR } from "@/lib/entra/role-catalog";
import type { CatalogRole } from "@/lib/services/access-levels/catalog";
import { AccessLevelForm } from "./access-level-form";

type Level = { id: string; name: string; description: string; roleTemplateIds: string[]; privileged: boolean; customerCount: number };
type Props = { level: Level; roleNames: string[]; catalog: CatalogRole[] };

/** One access level; Edit opens its form in a row beneath it. */
export function AccessLevelRow({ level, roleNames, catalog }: Props) {
  const [editing, setEditing] = useState(false);
  const [archiving, setArchiving] = useState(false);

  return (
    <>
      <TR data-testid={`access-level-${level.name}`}>
        <TD>
          <div className="flex items-center gap-2">
            <span className="font-medium">{level.name}</span>
            {level.roleTemplateIds.includes(GLOBAL_ADMINISTRATOR) ? <Badge variant="destructive">Global Admin</Badge> : null}
            {level.privileged ? <Badge variant="warning">Privileged</Badge> : null}
          </div>
          {level.description ? <div className="text-xs text-muted-foreground">{level.description}</div> : null}
        </TD>
        <TD className="text-sm">{roleNames.join(", ")}</TD>
        <TD className="whitespace-nowrap text-muted-foreground">
          {level.customerCount === 1 ? "1 customer" : `${level.customerCount} customers`}
        </TD>
        <TD className="text-right">
          <div className="flex justify-end gap-2">
            <Button variant="outline" size="sm" onClick={() => setEditing(!editing)}>
              {editing ? "Close" : "Edit"}
            </Button>
            <Button variant="ghost" size="sm" className="text-destructive" onClick={() => setArchiving(true)}>
              Archive
            </Button>
          </div>
          <ConfirmDialog
            open={archiving}
            onClose={() => setArchiving(false)}
            title={`Archive ${level.name}?`}
            description="It is taken off every customer and out of every delegation."
            confirmLabel="Archive"
            onConfirm={() => api("archiveAccessLevel", { params: { accessLevelId: level.id } })}
          />
        </TD>
      </TR>
      {editing ? (
        <TR className="hover:bg-transparent">
          <TD colSpan={4} className="bg-muted/30 py-4">
            <AccessLevelForm catalog={catalog} level={level} onDone={() => setEditing(false)} />
          </TD>
        </TR>
      ) : null}
    </>
  );
}
