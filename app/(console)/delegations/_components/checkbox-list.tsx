"use client";

import type { ReactNode } from "react";

type CheckboxOption = { value: string; label: ReactNode };

/** A multi-select as a list of checkboxes; the value is the ticked options' values. */
export function CheckboxList({ idPrefix, options, value, onChange }: { idPrefix: string; options: CheckboxOption[]; value: string[]; onChange: (value: string[]) => void }) {
  return (
    <ul className="grid gap-1">
      {options.map((o) => (
        <li key={o.value} className="flex items-center gap-2 text-sm">
          <input
            id={`${idPrefix}-${o.value}`}
            type="checkbox"
            className="h-4 w-4 accent-primary"
            checked={value.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))}
          />
          {/* On phones the label is the thumb-sized target the box is not. */}
          <label htmlFor={`${idPrefix}-${o.value}`} className="flex flex-wrap items-center gap-x-2 max-md:min-h-11 max-md:py-1">
            {o.label}
          </label>
        </li>
      ))}
    </ul>
  );
}
