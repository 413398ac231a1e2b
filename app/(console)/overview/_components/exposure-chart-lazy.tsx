"use client";

import dynamic from "next/dynamic";

/**
 * The chart library loads after the page, in its own chunk, and renders only in the browser: its sizes are
 * inline styles, which the page's Content-Security-Policy refuses in server-rendered HTML but not from script.
 */
export const ExposureChartLazy = dynamic(() => import("./exposure-chart").then((m) => m.ExposureChart), {
  ssr: false,
  loading: () => <div className="h-56 animate-pulse rounded-md bg-muted" aria-hidden="true" />,
});
