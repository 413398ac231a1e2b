"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { cn } from "@/lib/utils";

/**
 * A box that scrolls sideways when its content is wider than it, so a wide table never widens the page.
 * Phones hide scrollbars until one scrolls: a shade on the edge with more content shows there is more.
 */
export function ScrollX({ children, className }: { children: ReactNode; className?: string }) {
  const frame = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const outer = frame.current;
    const el = box.current;
    if (!outer || !el) return;
    // Straight on the DOM, not through state: a resize shows the right shades in the frame it is painted.
    const update = () => {
      const before = el.scrollLeft > 1;
      const after = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      outer.toggleAttribute("data-more-before", before);
      outer.toggleAttribute("data-more-after", after);
      // Reachable by keyboard only when there is something to scroll to.
      if (before || after) el.tabIndex = 0;
      else el.removeAttribute("tabindex");
    };
    update();
    el.addEventListener("scroll", update, { passive: true });
    const resized = new ResizeObserver(update);
    resized.observe(el);
    if (el.firstElementChild) resized.observe(el.firstElementChild);
    return () => {
      el.removeEventListener("scroll", update);
      resized.disconnect();
    };
  }, []);

  return (
    // Contained inline size: the table's width must not count toward the width of what holds the box (a grid
    // column would otherwise grow to it, and the page with it).
    <div ref={frame} className={cn("group/scroll relative [contain:inline-size]", className)}>
      <div ref={box} className="w-full overflow-x-auto focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-primary/40">
        {children}
      </div>
      <div
        aria-hidden
        className="pointer-events-none absolute inset-y-0 left-0 w-8 bg-linear-to-r from-slate-900/12 to-transparent dark:from-black/50 opacity-0 group-data-[more-before]/scroll:opacity-100"
      />
      <div
        aria-hidden
        className="pointer-events-none absolute inset-y-0 right-0 w-8 bg-linear-to-l from-slate-900/12 to-transparent dark:from-black/50 opacity-0 group-data-[more-after]/scroll:opacity-100"
      />
    </div>
  );
}
