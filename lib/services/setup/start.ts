import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { randomBase62 } from "@/lib/ids";
import { storeChallenge } from "@/lib/services/webauthn/challenges";
import { buildRegistrationOptions } from "@/lib/services/webauthn/registration";
import { requireSetupCode } from "./code";
import { setupInput, type SetupInput } from "./schemas";
import { isSetupOpen } from "./status";

/**
 * First-run step 1: the setup code and the MSP's and owner's names, answered with passkey registration
 * options. Step 2 (complete.ts) needs the challenge stored here, so it is reached only through the code.
 */
export async function startSetup(input: SetupInput, flowToken: string) {
  const { setupCode, ...form } = setupInput.parse(input);
  if (!(await isSetupOpen())) throw setupClosed();
  requireSetupCode(setupCode, env.SETUP_CODE);
  const userHandle = randomBase62(32);
  const options = await buildRegistrationOptions({
    userHandle,
    email: form.ownerEmail,
    displayName: form.ownerName,
    excludeCredentialIds: [],
  });
  await storeChallenge({ ceremony: "setup", flowToken, challenge: options.challenge, context: { ...form, userHandle } });
  return options;
}

export function setupClosed() {
  return new AppError("gone", "Stint is already set up. Sign in with your passkey instead.");
}
