import type { HTMLAttributes, TdHTMLAttributes, ThHTMLAttributes } from "react";
import { cn } from "@/lib/utils";
import { ScrollX } from "./scroll-x";

export function Table({ className, ...props }: HTMLAttributes<HTMLTableElement>) {
  return (
    <ScrollX>
      <table className={cn("w-full caption-bottom text-sm", className)} {...props} />
    </ScrollX>
  );
}
export function THead({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <thead className={cn("[&_tr]:border-b", className)} {...props} />;
}
export function TBody({ className, ...props }: HTMLAttributes<HTMLTableSectionElement>) {
  return <tbody className={cn("[&_tr:last-child]:border-0", className)} {...props} />;
}
export function TR({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("border-b border-border transition-colors hover:bg-muted/50", className)} {...props} />;
}
export function TH({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th className={cn("h-10 px-3 text-left align-middle text-xs font-medium uppercase tracking-wide text-muted-foreground", className)} {...props} />;
}
export function TD({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn("px-3 py-2.5 align-middle", className)} {...props} />;
}

/**
 * Classes that turn a table into a list of cards below `md`, for the tables people read on phones: the
 * header row hides, each row becomes a two-column grid with its `title` cell and an `aside` cell (a state
 * badge) on top and the other cells under them, each across the card. A cell whose content does not say
 * what it is carries a <PhoneLabel>, as the header row no longer does.
 */
export const stackedOnPhones = {
  table: "max-md:block",
  head: "max-md:hidden",
  body: "max-md:block",
  row: "max-md:grid max-md:grid-cols-[minmax(0,1fr)_auto] max-md:items-start max-md:gap-x-3 max-md:gap-y-1.5 max-md:px-5 max-md:py-3",
  cell: "max-md:col-span-2 max-md:block max-md:max-w-none max-md:p-0",
  title: "max-md:col-span-1 max-md:col-start-1 max-md:row-start-1",
  aside: "max-md:col-span-1 max-md:col-start-2 max-md:row-start-1 max-md:justify-self-end",
};

/** A cell's column name, shown only where the table is stacked into cards. */
export function PhoneLabel({ children }: { children: string }) {
  return <span className="mr-1.5 text-xs text-muted-foreground md:hidden">{children}</span>;
}
