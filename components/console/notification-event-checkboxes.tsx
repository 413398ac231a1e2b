"use client";

import { notificationEventLabels, notificationEvents, type NotificationEvent } from "@/lib/vocabulary/notification-events";

/** One checkbox per event; `idPrefix` keeps ids unique when two lists share a page. */
export function EventCheckboxes({ idPrefix, checked, onChange, legend }: { idPrefix: string; checked: NotificationEvent[]; onChange: (next: NotificationEvent[]) => void; legend: string }) {
  return (
    <fieldset className="grid gap-1.5">
      <legend className="mb-1 text-sm font-medium">{legend}</legend>
      <ul className="grid gap-1 sm:grid-cols-2">
        {notificationEvents.map((e) => (
          <li key={e} className="flex items-center gap-2 text-sm">
            <input
              id={`${idPrefix}-${e}`}
              type="checkbox"
              className="h-4 w-4 accent-primary"
              checked={checked.includes(e)}
              onChange={(ev) => onChange(ev.target.checked ? [...checked, e] : checked.filter((x) => x !== e))}
            />
            <label htmlFor={`${idPrefix}-${e}`}>{notificationEventLabels[e]}</label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
