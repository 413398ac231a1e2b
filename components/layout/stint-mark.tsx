import { markSvg } from "@/lib/brand/mark";
import { cn } from "@/lib/utils";

/** Stint's mark (the favicon and the extension's icon too), decorative beside the name it stands with. */
export function StintMark({ className }: { className?: string }) {
  return <span aria-hidden className={cn("inline-block shrink-0 [&>svg]:block [&>svg]:h-full [&>svg]:w-full", className)} dangerouslySetInnerHTML={{ __html: markSvg() }} />;
}
