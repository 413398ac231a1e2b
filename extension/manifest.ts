import { microsoftSignInMatches } from "./src/shared/microsoft-origins";

/**
 * The MV3 manifest. The extension asks for as little as it can: storage (its token and preferences, and
 * the pairing in progress in session memory), and host access to Microsoft's sign-in origins only, where
 * its content script runs. Stint's own address is not a host permission: Stint answers the extension's
 * calls with CORS for extension origins, and the extension sends no cookies.
 */
export function buildManifest(version: string) {
  const signIn = microsoftSignInMatches();
  return {
    manifest_version: 3,
    name: "Stint",
    short_name: "Stint",
    description: "Signs you in to your customers' Microsoft portals with your Stint just-in-time admin accounts, without copying passwords.",
    version,
    minimum_chrome_version: "116",
    action: { default_popup: "popup.html", default_title: "Stint", default_icon: { 16: "icons/16.png", 32: "icons/32.png" } },
    icons: { 16: "icons/16.png", 32: "icons/32.png", 48: "icons/48.png", 128: "icons/128.png" },
    background: { service_worker: "background.js", type: "module" },
    permissions: ["storage"],
    host_permissions: signIn,
    content_scripts: [{ matches: signIn, js: ["content.js"], run_at: "document_idle", all_frames: false }],
  };
}
