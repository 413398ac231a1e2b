import Form from "next/form";
import Link from "next/link";
import { Search } from "lucide-react";
import { Button, buttonVariants } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

type Props = {
  /** The page the search reloads, its text in `?q=` so a search can be bookmarked and shared. */
  action: string;
  q: string | undefined;
  label: string;
  placeholder: string;
  /** Other query parameters the page keeps across a search. */
  keep?: Record<string, string>;
  testId: string;
};

/** A search box that filters a console list on the server: a GET form, so it works before scripts load. */
export function SearchForm({ action, q, label, placeholder, keep = {}, testId }: Props) {
  const clear = new URLSearchParams(keep).toString();
  return (
    <Form action={action} role="search" className="flex items-center gap-2" data-testid={testId}>
      {Object.entries(keep).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="relative min-w-0 flex-1 sm:w-80 sm:flex-none">
        <Search className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground" aria-hidden="true" />
        <Input type="search" name="q" defaultValue={q ?? ""} aria-label={label} placeholder={placeholder} maxLength={200} className="pl-8" />
      </div>
      <Button type="submit" variant="outline">
        Search
      </Button>
      {q ? (
        <Link href={clear ? `${action}?${clear}` : action} className={buttonVariants({ variant: "ghost" })}>
          Clear
        </Link>
      ) : null}
    </Form>
  );
}
