// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderCredentialsPage, type CredentialsView } from "./user-sign-in-page";

const upn = "tia@contoso.example";

/** The page as a browser runs it: the markup, then its scripts in order, in the page's global scope. */
function load(view: CredentialsView = "username", username = ""): void {
  const html = renderCredentialsPage({ tenantSegment: "contoso.example", flowToken: "flow-1", view, username, errorCode: "50058" });
  document.documentElement.innerHTML = html.replace(/^<!DOCTYPE html>\s*<html[^>]*>/, "").replace(/<\/html>$/, "");
  // Scripts inserted as markup do not run; an indirect eval runs them as the page's own (`var $Config` becomes global).
  for (const script of document.querySelectorAll("script")) (0, eval)(script.textContent ?? "");
}

function answerCredentialType(answer: unknown): ReturnType<typeof vi.fn> {
  const fetch = vi.fn(async () => new Response(JSON.stringify(answer), { headers: { "content-type": "application/json" } }));
  vi.stubGlobal("fetch", fetch);
  return fetch;
}

const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const field = (name: string) => byId<HTMLFormElement>("i0281").elements.namedItem(name) as HTMLInputElement;
const visibleViews = () => ["usernameView", "passwordView", "accessPassView"].filter((id) => !byId(id).hidden);

function next(username: string): void {
  byId<HTMLInputElement>("i0116").value = username;
  byId<HTMLFormElement>("i0281").requestSubmit();
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the credentials page's script", () => {
  it("asks GetCredentialType on Next and reveals the pass view for an account with a usable pass", async () => {
    load();
    const fetch = answerCredentialType({ Username: upn, IfExistsResult: 0, Credentials: { PrefCredential: 1, HasPassword: true, HasAccessPass: true } });
    next(` ${upn} `);
    await vi.waitFor(() => expect(visibleViews()).toEqual(["accessPassView"]));
    expect(fetch).toHaveBeenCalledWith("/common/GetCredentialType", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: upn, flowToken: "flow-1" }),
    });
    expect(byId("displayName").parentElement?.id).toBe("accessPassView");
    expect(byId("displayName").textContent).toBe(upn);
    expect(byId<HTMLInputElement>("idTxtBx_AccessPass").disabled).toBe(false);
    expect(document.activeElement?.id).toBe("idTxtBx_AccessPass");
    expect(byId<HTMLInputElement>("i0118").classList.contains("moveOffScreen")).toBe(true);
    expect(field("type").value).toBe("11");
    expect(byId<HTMLInputElement>("idSIButton9").value).toBe("Sign in");
    expect(byId("idBtn_Back").hidden).toBe(false);
  });

  it("reveals the password view for an account without one, the pass field staying disabled", async () => {
    load();
    answerCredentialType({ Username: upn, IfExistsResult: 0, Credentials: { PrefCredential: 1, HasPassword: true, HasAccessPass: false } });
    next(upn);
    await vi.waitFor(() => expect(visibleViews()).toEqual(["passwordView"]));
    expect(byId("displayName").parentElement?.id).toBe("passwordView");
    expect(byId<HTMLInputElement>("idTxtBx_AccessPass").disabled).toBe(true);
    const password = byId<HTMLInputElement>("i0118");
    expect(password.classList.contains("moveOffScreen")).toBe(false);
    expect(password.getAttribute("aria-label")).toBe(`Enter the password for ${upn}`);
    expect(byId("passwordLinks").hidden).toBe(false);
  });

  it("keeps an unknown account on the username view with the real page's error", async () => {
    load();
    answerCredentialType({ Username: upn, IfExistsResult: 1, Credentials: { PrefCredential: 1, HasPassword: true, HasAccessPass: false } });
    next(upn);
    await vi.waitFor(() => expect(byId("usernameError")?.textContent).toBe("This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin."));
    expect(visibleViews()).toEqual(["usernameView"]);
    expect(field("type").value).toBe("");
  });

  it("refuses a malformed username without asking", () => {
    load();
    const fetch = answerCredentialType({});
    next("not-an-address");
    expect(byId("usernameError").textContent).toBe("Enter a valid email address, phone number, or Skype name.");
    expect(fetch).not.toHaveBeenCalled();
  });

  it("posts the form for the server to choose when GetCredentialType cannot be asked", async () => {
    load();
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("offline"))));
    const submit = vi.spyOn(byId<HTMLFormElement>("i0281"), "submit").mockImplementation(() => undefined);
    next(upn);
    await vi.waitFor(() => expect(submit).toHaveBeenCalled());
    expect(field("type").value).toBe("");
  });

  it("switches from the pass view to the password view, and Back returns to the username", () => {
    load("accessPass", upn);
    expect(visibleViews()).toEqual(["accessPassView"]);
    byId("idA_TAP_UsePassword").click();
    expect(visibleViews()).toEqual(["passwordView"]);
    expect(byId("displayName").parentElement?.id).toBe("passwordView");
    expect(byId<HTMLInputElement>("idTxtBx_AccessPass").disabled).toBe(true);
    byId<HTMLInputElement>("i0118").value = "typed";
    byId("idBtn_Back").click();
    expect(visibleViews()).toEqual(["usernameView"]);
    expect(byId<HTMLInputElement>("i0118").value).toBe("");
    expect(byId<HTMLInputElement>("i0118").classList.contains("moveOffScreen")).toBe(true);
    expect(field("type").value).toBe("");
    expect(byId<HTMLInputElement>("idSIButton9").value).toBe("Next");
  });
});
