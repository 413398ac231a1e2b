import { escapeHtml } from "../http/reply";
import { page } from "./consent-page";

/**
 * The user-facing Microsoft sign-in page (§5, "ConvergedSignIn" and "KmsiInterrupt"), with the real page's ids and
 * names so a password manager's autofill and browser tests see what they would see on login.microsoftonline.com.
 */

export interface CredentialsViewModel {
  tenantSegment: string;
  flowToken: string;
  view: "username" | "password";
  username: string;
  usernameError?: string;
  /** HTML: Entra's password error contains a link. Callers pass escaped text. */
  passwordErrorHtml?: string;
  /** `$Config.sErrorCode`: 50058 before any attempt, then the last AADSTS code. */
  errorCode: string;
}

const extraStyles = `
  .moveOffScreen { position: fixed; bottom: 0; right: 0; height: 0 !important; width: 0 !important; overflow: hidden; opacity: 0; filter: alpha(opacity=0); }
  input[type=password], input.form-control { width: 100%; box-sizing: border-box; padding: 6px 0; font-size: 15px; border: none; border-bottom: 1px solid #666; }
  .btn-primary { background: #0067b8; color: #fff; border-color: #0067b8; }
  #idBtn_Back { min-width: 108px; padding: 6px 12px; font-size: 15px; border: 1px solid #8a8886; background: #ccc; cursor: pointer; }
  .identity { font-size: 15px; margin-bottom: 8px; }
  [hidden] { display: none !important; }
`;

/** The hidden fields of the saved page (§5); only `flowToken`, `ctx` and `type` mean anything to the emulator. */
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

function config(pageId: string, urlPost: string, flowToken: string, errorCode: string): string {
  const json = JSON.stringify({ pgid: pageId, urlPost, sFT: flowToken, sFTName: "flowToken", sCtx: "", canary: "emulator-canary", sErrorCode: errorCode });
  // `<` escaped so the JSON cannot close the script element.
  return `<script>var $Config=${json.replace(/</g, "\\u003c")};</script>`;
}

/**
 * Step 1 (username view) and step 2 (password view) of one form, as on the real page. Step 1 already holds the
 * password field, off screen (`.moveOffScreen`, `tabindex=-1`, `aria-hidden`), for password managers to fill.
 * With scripts on, Next reveals the password view in place (no page load) and sets `type=11`; without scripts the
 * form posts and the emulator answers with the password view.
 */
export function renderCredentialsPage(model: CredentialsViewModel): string {
  const urlPost = `/${encodeURIComponent(model.tenantSegment)}/login`;
  const onPassword = model.view === "password";
  const usernameError = model.usernameError
    ? `<div id="usernameError" class="error" role="alert" aria-live="assertive">${escapeHtml(model.usernameError)}</div>`
    : "";
  const passwordError = model.passwordErrorHtml ? `<div id="passwordError" class="error" role="alert" aria-live="assertive">${model.passwordErrorHtml}</div>` : "";
  const passwordAttributes = onPassword
    ? `aria-required="true" aria-label="Enter the password for ${escapeHtml(model.username)}" placeholder="Password"`
    : `class="moveOffScreen" tabindex="-1" aria-hidden="true" data-bind="moveOffScreen, textInput: passwordBrowserPrefill"`;
  return page(
    "Sign in to your account",
    `<style>${extraStyles}</style>
    ${config("ConvergedSignIn", urlPost, model.flowToken, model.errorCode)}
    <form name="f1" id="i0281" novalidate spellcheck="false" method="post" target="_top" autocomplete="off" action="${escapeHtml(urlPost)}">
      <div id="usernameView"${onPassword ? " hidden" : ""}>
        <div id="loginHeader" role="heading" aria-level="1">Sign in</div>
        ${usernameError}
        <input type="email" name="loginfmt" id="i0116" maxlength="113" lang="en" class="form-control ltr_override input ext-input text-box ext-text-box"
          aria-required="true" aria-label="Enter your email, phone, or Skype." placeholder="Email, phone, or Skype"
          value="${escapeHtml(model.username)}"${model.usernameError ? ' aria-invalid="true" aria-describedby="usernameError loginHeader"' : ""}>
      </div>
      <div id="passwordView"${onPassword ? "" : " hidden"}>
        <div class="identity" id="displayName" title="${escapeHtml(model.username)}">${escapeHtml(model.username)}</div>
        <div id="loginHeaderPassword" role="heading" aria-level="1">Enter password</div>
        ${passwordError}
      </div>
      <input name="passwd" type="password" id="i0118" autocomplete="off" ${passwordAttributes}>
      <div id="passwordLinks"${onPassword ? "" : " hidden"}><a id="idA_PWD_ForgotPassword" role="link" href="#">Forgot my password</a></div>
      ${hiddenFields(model.flowToken, { type: onPassword ? "11" : "", LoginOptions: "3", login: model.username, i13: "0" })}
      <div class="buttons">
        <input type="button" id="idBtn_Back" class="btn btn-block" value="Back"${onPassword ? "" : " hidden"}>
        <input type="submit" id="idSIButton9" class="btn btn-block btn-primary" data-report-event="Signin_Submit" value="${onPassword ? "Sign in" : "Next"}">
      </div>
    </form>
    <script>${credentialsScript}</script>`,
  );
}

/** Next reveals the password view without a page load (the real page first asks GetCredentialType; see README). */
const credentialsScript = `
(function () {
  var form = document.getElementById("i0281");
  var user = document.getElementById("i0116");
  var pass = document.getElementById("i0118");
  var button = document.getElementById("idSIButton9");
  var back = document.getElementById("idBtn_Back");
  function show(password) {
    document.getElementById("usernameView").hidden = password;
    document.getElementById("passwordView").hidden = !password;
    document.getElementById("passwordLinks").hidden = !password;
    back.hidden = !password;
    form.elements["type"].value = password ? "11" : "";
    button.value = password ? "Sign in" : "Next";
    if (password) {
      pass.classList.remove("moveOffScreen");
      pass.removeAttribute("tabindex");
      pass.removeAttribute("aria-hidden");
      pass.removeAttribute("data-bind");
      pass.setAttribute("aria-label", "Enter the password for " + user.value);
      pass.setAttribute("placeholder", "Password");
      var name = document.getElementById("displayName");
      name.textContent = user.value;
      name.title = user.value;
      form.elements["login"].value = user.value;
      pass.focus();
    } else {
      pass.value = "";
      pass.classList.add("moveOffScreen");
      pass.setAttribute("tabindex", "-1");
      pass.setAttribute("aria-hidden", "true");
      user.focus();
    }
  }
  form.addEventListener("submit", function (event) {
    if (form.elements["type"].value === "11") return;
    event.preventDefault();
    var old = document.getElementById("usernameError");
    if (old) old.remove();
    if (!/^[^@\\s]+@[^@\\s]+$/.test(user.value.trim())) {
      var error = document.createElement("div");
      error.id = "usernameError";
      error.className = "error";
      error.setAttribute("role", "alert");
      error.textContent = "Enter a valid email address, phone number, or Skype name.";
      user.parentNode.insertBefore(error, user);
      return;
    }
    show(true);
  });
  back.addEventListener("click", function () { show(false); });
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
