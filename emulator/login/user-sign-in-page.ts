import { escapeHtml } from "../http/reply";
import { page } from "./consent-page";

/**
 * The user-facing Microsoft sign-in page ("ConvergedSignIn", "KmsiInterrupt", "ConvergedProofUpRedirect"), with the
 * real page's ids and names so a password manager's autofill and browser tests see what they would see on
 * login.microsoftonline.com.
 */

export type CredentialsView = "username" | "password" | "accessPass";

export interface CredentialsViewModel {
  tenantSegment: string;
  flowToken: string;
  view: CredentialsView;
  username: string;
  usernameError?: string;
  /** HTML: Entra's password error contains a link. Callers pass escaped text. */
  passwordErrorHtml?: string;
  accessPassError?: string;
  /** `$Config.sErrorCode`: 50058 before any attempt, then the last AADSTS code. */
  errorCode: string;
}

/** Where the page's script asks which credential to show after the username (`$Config.urlGetCredentialType`). */
export const credentialTypePath = "/common/GetCredentialType";
/** The target of the MFA stop page's Next button: the emulator's own page, registration is not emulated. */
export const proofUpPath = "/proofup";

const extraStyles = `
  .moveOffScreen { position: fixed; bottom: 0; right: 0; height: 0 !important; width: 0 !important; overflow: hidden; opacity: 0; filter: alpha(opacity=0); }
  input[type=password], input.form-control { width: 100%; box-sizing: border-box; padding: 6px 0; font-size: 15px; border: none; border-bottom: 1px solid #666; }
  .btn-primary { background: #0067b8; color: #fff; border-color: #0067b8; }
  #idBtn_Back { min-width: 108px; padding: 6px 12px; font-size: 15px; border: 1px solid #8a8886; background: #ccc; cursor: pointer; }
  .identity { font-size: 15px; margin-bottom: 8px; }
  [hidden] { display: none !important; }
`;

/** The hidden fields of Microsoft's page; only `flowToken`, `ctx` and `type` mean anything to the emulator. */
function hiddenFields(flowToken: string, extra: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    ps: "2", psRNGCDefaultType: "", psRNGCEntropy: "", psRNGCSLK: flowToken, canary: "emulator-canary", ctx: "",
    hpgrequestid: "", flowToken, PPSX: "", NewUser: "1", FoundMSAs: "", fspost: "0", i21: "0", CookieDisclosure: "0",
    IsFidoSupported: "1", isSignupPost: "0", i2: "1", i17: "", i18: "", i19: "",
    ...extra,
  };
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n      ");
}

function config(pageId: string, urlPost: string, flowToken: string, errorCode: string, extra: Record<string, string> = {}): string {
  const json = JSON.stringify({ pgid: pageId, urlPost, sFT: flowToken, sFTName: "flowToken", sCtx: "", canary: "emulator-canary", sErrorCode: errorCode, ...extra });
  // `<` escaped so the JSON cannot close the script element.
  return `<script>var $Config=${json.replace(/</g, "\\u003c")};</script>`;
}

/**
 * The username, password and Temporary Access Pass views of one form, as on the real page. The username view already
 * holds the password field, off screen (`.moveOffScreen`, `tabindex=-1`, `aria-hidden`), for password managers to
 * fill. With scripts on, Next asks GetCredentialType and reveals the password or pass view in place (no page load)
 * and sets `type=11`; without scripts the form posts and the emulator answers with the right view. The pass field is
 * disabled outside its view, so a post carries `accesspass` only from there. One identity banner (`#displayName`)
 * moves into whichever view shows it.
 */
export function renderCredentialsPage(model: CredentialsViewModel): string {
  const urlPost = `/${encodeURIComponent(model.tenantSegment)}/login`;
  const { view } = model;
  const hiddenUnless = (v: CredentialsView) => (view === v ? "" : " hidden");
  const identity = `<div class="identity" id="displayName" title="${escapeHtml(model.username)}">${escapeHtml(model.username)}</div>`;
  const usernameError = model.usernameError
    ? `<div id="usernameError" class="error" role="alert" aria-live="assertive">${escapeHtml(model.usernameError)}</div>`
    : "";
  const passwordError = model.passwordErrorHtml ? `<div id="passwordError" class="error" role="alert" aria-live="assertive">${model.passwordErrorHtml}</div>` : "";
  const accessPassError = model.accessPassError
    ? `<div id="accessPassError" class="error" role="alert" aria-live="assertive">${escapeHtml(model.accessPassError)}</div>`
    : "";
  const passwordAttributes =
    view === "password"
      ? `aria-required="true" aria-label="Enter the password for ${escapeHtml(model.username)}" placeholder="Password"`
      : `class="moveOffScreen" tabindex="-1" aria-hidden="true" data-bind="moveOffScreen, textInput: passwordBrowserPrefill"`;
  return page(
    "Sign in to your account",
    `<style>${extraStyles}</style>
    ${config("ConvergedSignIn", urlPost, model.flowToken, model.errorCode, { urlGetCredentialType: credentialTypePath })}
    <form name="f1" id="i0281" novalidate spellcheck="false" method="post" target="_top" autocomplete="off" action="${escapeHtml(urlPost)}">
      <div id="usernameView"${hiddenUnless("username")}>
        <div id="loginHeader" role="heading" aria-level="1">Sign in</div>
        ${usernameError}
        <input type="email" name="loginfmt" id="i0116" maxlength="113" lang="en" class="form-control ltr_override input ext-input text-box ext-text-box"
          aria-required="true" aria-label="Enter your email, phone, or Skype." placeholder="Email, phone, or Skype"
          value="${escapeHtml(model.username)}"${model.usernameError ? ' aria-invalid="true" aria-describedby="usernameError loginHeader"' : ""}>
      </div>
      <div id="passwordView"${hiddenUnless("password")}>
        ${view === "accessPass" ? "" : identity}
        <div id="loginHeaderPassword" role="heading" aria-level="1">Enter password</div>
        ${passwordError}
      </div>
      <div id="accessPassView"${hiddenUnless("accessPass")}>
        ${view === "accessPass" ? identity : ""}
        <div id="loginHeaderAccessPass" role="heading" aria-level="1">Enter Temporary Access Pass</div>
        ${accessPassError}
        <input type="password" name="accesspass" id="idTxtBx_AccessPass" autocomplete="off" aria-required="true"
          aria-label="Enter Temporary Access Pass" placeholder="Temporary Access Pass"${view === "accessPass" ? "" : " disabled"}>
        <div><a id="idA_TAP_UsePassword" role="link" href="#">Use your password instead</a></div>
      </div>
      <input name="passwd" type="password" id="i0118" autocomplete="off" ${passwordAttributes}>
      <div id="passwordLinks"${hiddenUnless("password")}><a id="idA_PWD_ForgotPassword" role="link" href="#">Forgot my password</a></div>
      ${hiddenFields(model.flowToken, { type: view === "username" ? "" : "11", LoginOptions: "3", login: model.username, i13: "0" })}
      <div class="buttons">
        <input type="button" id="idBtn_Back" class="btn btn-block" value="Back"${view === "username" ? " hidden" : ""}>
        <input type="submit" id="idSIButton9" class="btn btn-block btn-primary" data-report-event="Signin_Submit" value="${view === "username" ? "Next" : "Sign in"}">
      </div>
    </form>
    <script>${credentialsScript}</script>`,
  );
}

/**
 * Next asks GetCredentialType (as the real page does) and reveals the pass view or the password view in place; an
 * unknown account stays on the username view with the real page's error. Should the question fail, the form posts
 * and the server picks the view.
 */
const credentialsScript = `
(function () {
  var form = document.getElementById("i0281");
  var user = document.getElementById("i0116");
  var pass = document.getElementById("i0118");
  var accessPass = document.getElementById("idTxtBx_AccessPass");
  var identity = document.getElementById("displayName");
  var button = document.getElementById("idSIButton9");
  var back = document.getElementById("idBtn_Back");
  var views = { username: "usernameView", password: "passwordView", accessPass: "accessPassView" };
  function show(view) {
    for (var name in views) document.getElementById(views[name]).hidden = name !== view;
    document.getElementById("passwordLinks").hidden = view !== "password";
    back.hidden = view === "username";
    form.elements["type"].value = view === "username" ? "" : "11";
    button.value = view === "username" ? "Next" : "Sign in";
    accessPass.disabled = view !== "accessPass";
    if (view === "password") {
      pass.classList.remove("moveOffScreen");
      pass.removeAttribute("tabindex");
      pass.removeAttribute("aria-hidden");
      pass.removeAttribute("data-bind");
      pass.setAttribute("aria-label", "Enter the password for " + user.value);
      pass.setAttribute("placeholder", "Password");
    } else {
      pass.value = "";
      pass.classList.add("moveOffScreen");
      pass.setAttribute("tabindex", "-1");
      pass.setAttribute("aria-hidden", "true");
    }
    if (view === "username") {
      user.focus();
      return;
    }
    var target = document.getElementById(views[view]);
    target.insertBefore(identity, target.firstChild);
    identity.textContent = user.value;
    identity.title = user.value;
    form.elements["login"].value = user.value;
    (view === "password" ? pass : accessPass).focus();
  }
  function usernameError(text) {
    var error = document.createElement("div");
    error.id = "usernameError";
    error.className = "error";
    error.setAttribute("role", "alert");
    error.textContent = text;
    user.parentNode.insertBefore(error, user);
  }
  form.addEventListener("submit", function (event) {
    if (form.elements["type"].value === "11") return;
    event.preventDefault();
    var old = document.getElementById("usernameError");
    if (old) old.remove();
    var username = user.value.trim();
    if (!/^[^@\\s]+@[^@\\s]+$/.test(username)) {
      usernameError("Enter a valid email address, phone number, or Skype name.");
      return;
    }
    fetch($Config.urlGetCredentialType, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: username, flowToken: form.elements["flowToken"].value })
    })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (answer.IfExistsResult === 1) {
          usernameError("This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.");
          return;
        }
        show(answer.Credentials && answer.Credentials.HasAccessPass ? "accessPass" : "password");
      }, function () { form.submit(); });
  });
  back.addEventListener("click", function () { show("username"); });
  document.getElementById("idA_TAP_UsePassword").addEventListener("click", function (event) {
    event.preventDefault();
    show("password");
  });
  if (form.elements["type"].value !== "11") user.focus();
})();
`;

/** "Stay signed in?" (KmsiInterrupt). Yes submits `LoginOptions=1`; No (a button, as on the real page) sets 3 and submits. */
export function renderKmsiPage(model: { flowToken: string; username: string }): string {
  return page(
    "Sign in to your account",
    `${config("KmsiInterrupt", "/kmsi", model.flowToken, "")}
    <form name="f1" id="i0281" method="post" target="_top" autocomplete="off" action="/kmsi">
      <div class="identity" id="displayName">${escapeHtml(model.username)}</div>
      <div id="kmsiTitle" role="heading" aria-level="1"><h1>Stay signed in?</h1></div>
      <p id="KmsiDescription" class="description">Do this to reduce the number of times you are asked to sign in.</p>
      <label><input type="checkbox" id="KmsiCheckboxField" name="DontShowAgain" value="true"> <span>Don't show this again</span></label>
      ${hiddenFields(model.flowToken, { LoginOptions: "1", type: "28" })}
      <div class="buttons">
        <input type="button" id="idBtn_Back" class="btn btn-block" value="No">
        <input type="submit" id="idSIButton9" class="btn btn-block btn-primary" value="Yes">
      </div>
    </form>
    <script>
      document.getElementById("idBtn_Back").addEventListener("click", function () {
        var form = document.getElementById("i0281");
        form.elements["LoginOptions"].value = "3";
        form.submit();
      });
    </script>`,
  );
}

export function renderSignedInPage(username: string): string {
  return page(
    "Sign in to your account",
    `<h1 id="signedIn">You're signed in</h1>
     <p class="description">Signed in as <span id="signedInAs">${escapeHtml(username)}</span>. You can close this window.</p>`,
  );
}

/**
 * The MFA stop ("ConvergedProofUpRedirect"): a correct password, but the sign-in needs MFA and the account has no
 * method registered. Next leads to the emulator's page saying registration is not emulated.
 */
export function renderProofUpPage(model: { username: string; differentAccountUrl: string }): string {
  return page(
    "Sign in to your account",
    `${config("ConvergedProofUpRedirect", proofUpPath, "", "")}
    <form name="f1" id="i0281" method="get" action="${proofUpPath}">
      <div class="identity" id="displayName">${escapeHtml(model.username)}</div>
      <div id="idDiv_ProofUp_Title" role="heading" aria-level="1"><h1>More information required</h1></div>
      <p id="idDiv_ProofUp_Description" class="description">Your organization needs more information to keep your account secure</p>
      <p><a id="idA_ProofUp_DifferentAccount" href="${escapeHtml(model.differentAccountUrl)}">Use a different account</a></p>
      <div class="buttons">
        <input type="submit" id="idSubmit_ProofUp_Redirect" class="btn btn-block btn-primary" value="Next">
      </div>
    </form>`,
  );
}

export function renderProofUpNotEmulatedPage(): string {
  return page(
    "Sign in to your account",
    `<h1 id="proofUpNotEmulated">Registering security info is not emulated</h1>
     <p class="description">Microsoft would now ask the account to register an MFA method. The emulator stops here; a Temporary Access Pass satisfies MFA.</p>`,
  );
}
