import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { requirePageContext } from "@/lib/http/page-context";
import { ConnectExtension } from "./_components/connect-extension";

export const metadata: Metadata = { title: "Connect browser extension" };

/** Where the extension sends its member (verificationUri); ?code= prefills the code it shows. */
export default async function ConnectExtensionPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageContext();
  const code = (await searchParams).code;
  const initialCode = typeof code === "string" ? code.slice(0, 20) : "";
  return (
    <>
      <PageHeader
        title="Connect browser extension"
        description="The extension shows a code. Enter it here to let the extension list your grants and sign you in with them."
      />
      <ConnectExtension initialCode={initialCode} />
    </>
  );
}
