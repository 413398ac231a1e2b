import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { requirePageContext } from "@/lib/http/page-context";
import { ConnectExtension } from "./_components/connect-extension";

export const metadata: Metadata = { title: "Connect browser extension" };

/**
 * Where the extension sends its member (verificationUri). Nothing in the address fills in the code: the
 * member types what their own extension shows, so a link someone sent them cannot approve a stranger's.
 */
export default async function ConnectExtensionPage() {
  await requirePageContext();
  return (
    <>
      <PageHeader
        title="Connect browser extension"
        description="The extension shows a code. Enter it here to let the extension list your grants and sign you in with them."
      />
      <ConnectExtension />
    </>
  );
}
