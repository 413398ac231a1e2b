// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from "vitest";
import { answerStaySignedIn, fillSignIn } from "./fill-sign-in";
import { viewOf } from "./sign-in-page";

/**
 * The form in the shape of Microsoft's page (and the emulator's): the password field is in the form from
 * the start, off screen; Next reveals in place the password view, or — for an account with a usable
 * Temporary Access Pass — the "Enter Temporary Access Pass" view, each naming the account.
 */
function renderSignIn(prefilled = "", next: "password" | "tap" = "password") {
  document.body.innerHTML = `
    <form name="f1" id="i0281">
      <div id="usernameView"><input type="email" name="loginfmt" id="i0116" value="${prefilled}"></div>
      <div id="passwordView" hidden><div id="displayName"></div></div>
      <div id="accessPassView" hidden>
        <div class="identity" id="displayName"></div>
        <div role="heading" aria-level="1">Enter Temporary Access Pass</div>
        <input type="password" name="accesspass" id="idTxtBx_AccessPass">
      </div>
      <input name="passwd" type="password" id="i0118" class="moveOffScreen" tabindex="-1" aria-hidden="true">
      <input type="button" id="idBtn_Back" value="Back" hidden>
      <input type="submit" id="idSIButton9" value="Next">
    </form>`;
  const submitted: Record<string, string>[] = [];
  const form = document.getElementById("i0281") as HTMLFormElement;
  const user = document.getElementById("i0116") as HTMLInputElement;
  const pass = document.getElementById("i0118") as HTMLInputElement;
  const accessPass = document.getElementById("idTxtBx_AccessPass") as HTMLInputElement;
  const button = document.getElementById("idSIButton9") as HTMLInputElement;
  button.addEventListener("click", (event) => {
    event.preventDefault();
    if (button.value === "Next") {
      document.getElementById("usernameView")!.hidden = true;
      const view = document.getElementById(next === "tap" ? "accessPassView" : "passwordView")!;
      view.hidden = false;
      view.querySelector("#displayName")!.textContent = user.value;
      if (next === "password") {
        pass.classList.remove("moveOffScreen");
        pass.removeAttribute("aria-hidden");
      }
      button.value = "Sign in";
    } else {
      submitted.push({ loginfmt: user.value, passwd: pass.value, accesspass: accessPass.value });
    }
  });
  return { form, user, pass, accessPass, submitted };
}

const credential = { userPrincipalName: "stint-tina-abc@contoso.example", signInMethod: "password" as const, secret: "S3cret-pass" };
const passCredential = { userPrincipalName: "stint-tina-abc@contoso.example", signInMethod: "tap" as const, secret: "Tap+9xQz" };
const noop = async () => undefined;

beforeEach(() => {
  document.body.innerHTML = "";
});

describe("filling Microsoft's sign-in form", () => {
  it("types the username, presses Next, then types the password for that account and signs in", async () => {
    const page = renderSignIn();
    expect(viewOf(document)).toBe("username");
    let toldBeforeSubmit = false;
    const outcome = await fillSignIn(document, credential, async () => {
      toldBeforeSubmit = page.submitted.length === 0;
    });
    expect(outcome).toBe("submitted");
    expect(toldBeforeSubmit).toBe(true);
    expect(page.submitted).toEqual([{ loginfmt: credential.userPrincipalName, passwd: credential.secret, accesspass: "" }]);
  });

  it("types a pass grant's Temporary Access Pass into Microsoft's pass view, never into a password field", async () => {
    const page = renderSignIn("", "tap");
    expect(await fillSignIn(document, passCredential, noop)).toBe("submitted");
    expect(page.submitted).toEqual([{ loginfmt: passCredential.userPrincipalName, passwd: "", accesspass: passCredential.secret }]);
  });

  it("stops when Microsoft asks a pass grant for a password (a new pass not offered yet)", async () => {
    const page = renderSignIn("", "password");
    expect(await fillSignIn(document, passCredential, noop)).toBe("password_asked");
    expect(page.pass.value).toBe("");
    expect(page.submitted).toEqual([]);
  });

  it("stops when Microsoft asks a password grant for a pass", async () => {
    const page = renderSignIn("", "tap");
    expect(await fillSignIn(document, credential, noop)).toBe("tap_asked");
    expect(page.accessPass.value).toBe("");
  });

  it("refuses a pass view that names another account", async () => {
    const page = renderSignIn("", "tap");
    page.user.value = "someone.else@contoso.example";
    (document.getElementById("idSIButton9") as HTMLInputElement).click();
    expect(viewOf(document)).toBe("tap");
    expect(await fillSignIn(document, passCredential, noop)).toBe("wrong_account");
    expect(page.accessPass.value).toBe("");
  });

  it("recognises Microsoft's MFA stop page", () => {
    document.body.innerHTML = `<form id="i0281"><div role="heading" aria-level="1">More information required</div><p>Your organization needs more information to keep your account secure</p><input type="submit" id="idSubmit_ProofUp_Redirect" value="Next"></form>`;
    expect(viewOf(document)).toBe("mfa");
    document.body.innerHTML = `<div role="heading">Let’s keep your account secure</div>`;
    expect(viewOf(document)).toBe("mfa");
  });

  it("never fills the off-screen password field of the username view", async () => {
    const page = renderSignIn();
    page.user.closest("div")!.hidden = true;
    // No visible username field and no visible password field: nothing to do.
    expect(await fillSignIn(document, credential, noop)).toBe("unexpected_page");
    expect(page.pass.value).toBe("");
  });

  it("refuses when the page already holds another account", async () => {
    const page = renderSignIn("someone.else@contoso.example");
    expect(await fillSignIn(document, credential, noop)).toBe("wrong_account");
    expect(page.user.value).toBe("someone.else@contoso.example");
    expect(page.pass.value).toBe("");
  });

  it("refuses a password view that names another account", async () => {
    const page = renderSignIn();
    page.user.value = "someone.else@contoso.example";
    (document.getElementById("idSIButton9") as HTMLInputElement).click();
    expect(viewOf(document)).toBe("password");
    expect(await fillSignIn(document, credential, noop)).toBe("wrong_account");
    expect(page.pass.value).toBe("");
    expect(page.submitted).toEqual([]);
  });

  it("answers Stay signed in? with No unless asked for Yes", () => {
    document.body.innerHTML = `<form><input type="checkbox" id="KmsiCheckboxField"><input type="button" id="idBtn_Back" value="No"><input type="submit" id="idSIButton9" value="Yes"></form>`;
    expect(viewOf(document)).toBe("kmsi");
    const clicked: string[] = [];
    for (const id of ["idBtn_Back", "idSIButton9"]) document.getElementById(id)!.addEventListener("click", (e) => (e.preventDefault(), clicked.push(id)));
    answerStaySignedIn(document, false);
    answerStaySignedIn(document, true);
    expect(clicked).toEqual(["idBtn_Back", "idSIButton9"]);
  });
});
