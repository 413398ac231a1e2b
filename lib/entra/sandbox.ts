import { isMicrosoftCloudConfigured, isSandboxConfigured } from "./clouds";

/** "Add sandbox customer" is offered when no real app registration is configured and the emulator runs. */
export function sandboxAvailable(): boolean {
  return !isMicrosoftCloudConfigured() && isSandboxConfigured();
}
