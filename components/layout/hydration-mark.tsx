"use client";

import { useEffect } from "react";

/**
 * Marks the document once React has hydrated it. Until then a server-rendered control shows but does not
 * respond (a choice or click is lost), so browser automation waits for `html[data-hydrated]` before acting.
 */
export function HydrationMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "";
  }, []);
  return null;
}
