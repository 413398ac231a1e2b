import type { Metadata } from "next";
import type { ReactNode } from "react";
import { BrowserTimeZone } from "@/components/layout/browser-time-zone";
import { HydrationMark } from "@/components/layout/hydration-mark";
import { markDataUrl } from "@/lib/brand/mark";
import "./globals.css";

// Every page renders per request, as the CSP nonce requires (proxy.ts): Next puts the nonce only on the
// scripts of a page it renders for that request, and a prerendered page's scripts would be refused.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: { default: "Stint", template: "%s · Stint" },
  description: "Just-in-time admin accounts in your customers' Microsoft Entra ID tenants.",
  icons: { icon: markDataUrl() },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {children}
        <BrowserTimeZone />
        <HydrationMark />
      </body>
    </html>
  );
}
