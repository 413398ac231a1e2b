"use client";

import { ArrowDown, ArrowUp } from "lucide-react";
import { Button } from "@/components/ui/button";
import { expiryActionLabels, expiryActions, type ExpiryAction } from "@/lib/vocabulary/expiry-actions";
import { cn } from "@/lib/utils";

type Props = { value: ExpiryAction[]; onChange: (value: ExpiryAction[]) => void; invalid?: boolean };

/** The chosen actions in the order they run, then the ones left out (ticking one appends it). */
export function ExpiryActionsEditor({ value, onChange, invalid }: Props) {
  const rows = [...value, ...expiryActions.filter((a) => !value.includes(a))];

  function move(from: number, to: number) {
    const next = [...value];
    [next[from], next[to]] = [next[to]!, next[from]!];
    onChange(next);
  }

  return (
    <ol className={cn("grid gap-1.5 rounded-md", invalid && "ring-1 ring-destructive")} aria-label="Expiry actions, in order">
      {rows.map((action) => {
        const position = value.indexOf(action);
        const included = position !== -1;
        const label = expiryActionLabels[action];
        return (
          <li key={action} className="flex items-center gap-3 rounded-md border border-border bg-background px-3 py-1.5 text-sm" data-testid={`expiry-${action}`}>
            <span className="w-5 text-right text-xs tabular-nums text-muted-foreground">{included ? `${position + 1}.` : ""}</span>
            <input
              id={`expiry-${action}`}
              type="checkbox"
              className="h-4 w-4 accent-primary"
              checked={included}
              onChange={(e) => onChange(e.target.checked ? [...value, action] : value.filter((a) => a !== action))}
            />
            <label htmlFor={`expiry-${action}`} className={cn("flex-1", !included && "text-muted-foreground")}>
              {label}
            </label>
            <Button variant="ghost" size="icon" className="h-7 w-7" aria-label={`Move "${label}" earlier`} disabled={!included || position === 0} onClick={() => move(position, position - 1)}>
              <ArrowUp className="h-4 w-4" />
            </Button>
            <Button
              variant="ghost"
              size="icon"
              className="h-7 w-7"
              aria-label={`Move "${label}" later`}
              disabled={!included || position === value.length - 1}
              onClick={() => move(position, position + 1)}
            >
              <ArrowDown className="h-4 w-4" />
            </Button>
          </li>
        );
      })}
    </ol>
  );
}
