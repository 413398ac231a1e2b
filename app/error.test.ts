import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import ErrorPage from "./error";

describe("the error page", () => {
  it("gives the reference the server logged, a retry and a way back, never the failure's message", () => {
    const error = Object.assign(new Error("relation \"grants\" does not exist at secret-host:5432"), { digest: "2836114107" });
    const html = renderToStaticMarkup(createElement(ErrorPage, { error, reset: () => {} }));
    expect(html).toContain("This page could not be shown");
    expect(html).toContain("2836114107");
    expect(html).toContain("Try again");
    expect(html).toContain('href="/overview"');
    expect(html).not.toContain("secret-host");
  });
});
