import { Download } from "lucide-react";
import { buttonVariants } from "@/components/ui/button";

/** A file the API answers, as an outlined button: the browser downloads it with the session's cookie. */
export function DownloadLink({ href, label, testId, fileName, size }: { href: string; label: string; testId: string; fileName?: string; size?: "sm" }) {
  return (
    <a href={href} download={fileName ?? true} className={buttonVariants({ variant: "outline", size })} data-testid={testId}>
      <Download className="size-4" aria-hidden="true" />
      {label}
    </a>
  );
}
