"use client";

import { Menu, X } from "lucide-react";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { cn } from "@/lib/utils";

const PANEL_ID = "console-menu";

/**
 * The console's sidebar. From the `wide` breakpoint up it is always open; below it, it is a sticky top bar
 * whose menu button discloses the navigation under it (and closes it again on Escape and on navigation).
 * The links are rendered once, so the navigation landmark is the same element at every width.
 */
export function ConsoleMenu({ brand, children }: { brand: ReactNode; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  const [pathnameShown, setPathnameShown] = useState(pathname);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  // Back and forward navigate without a click in the menu: the new page starts with it closed.
  if (pathname !== pathnameShown) {
    setPathnameShown(pathname);
    setOpen(false);
  }

  function close() {
    // Focus inside the panel would be lost when it hides: it goes back to the button that opened it.
    if (panel.current?.contains(document.activeElement)) button.current?.focus();
    setOpen(false);
  }

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [open]);

  // A followed link closes the menu at once, also one to the page already shown (its pathname does not change).
  function onPanelClick(e: MouseEvent<HTMLDivElement>) {
    if (e.target instanceof Element && e.target.closest("a[href]")) close();
  }

  return (
    <aside className="sticky top-0 z-30 flex shrink-0 print:hidden flex-col border-b border-border bg-background wide:static wide:w-60 wide:border-r wide:border-b-0">
      <div className="flex h-14 items-center justify-between gap-2 pr-2 wide:h-auto wide:pr-0">
        {brand}
        <button
          ref={button}
          type="button"
          className="inline-flex h-11 shrink-0 items-center gap-2 rounded-md px-3 text-sm font-medium hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-primary/40 wide:hidden"
          aria-expanded={open}
          aria-controls={PANEL_ID}
          onClick={() => (open ? close() : setOpen(true))}
        >
          {open ? <X className="h-5 w-5" aria-hidden /> : <Menu className="h-5 w-5" aria-hidden />}
          Menu
        </button>
      </div>
      {/* Open below the bar it may be taller than the screen, so it scrolls on its own. */}
      <div
        ref={panel}
        id={PANEL_ID}
        className={cn(
          "flex-1 flex-col overflow-y-auto max-wide:max-h-[calc(100dvh-3.5rem)] max-wide:border-t max-wide:border-border max-wide:pt-2 wide:flex",
          open ? "flex" : "hidden",
        )}
        onClick={onPanelClick}
      >
        {children}
      </div>
    </aside>
  );
}
