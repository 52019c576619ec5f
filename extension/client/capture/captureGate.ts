// Whether capture runs: only when the user opted in, has not paused it, and trusts the workspace.
// Kept apart from the controller so the rule is one tested function.

export interface CaptureConditions {
  /** `autodidact.capture.enabled` (off until the user opts in). */
  enabled: boolean;
  /** Pause Capture, remembered across reloads. */
  paused: boolean;
  /** vscode.workspace.isTrusted */
  trusted: boolean;
}

export type CaptureState = 'active' | 'untrusted' | 'disabled' | 'paused';

export function captureState(c: CaptureConditions): CaptureState {
  if (!c.trusted) return 'untrusted';
  if (!c.enabled) return 'disabled';
  if (c.paused) return 'paused';
  return 'active';
}

/** The one-time opt-in question: asked once, in a trusted workspace, while capture is off. */
export function shouldAskOptIn(c: CaptureConditions & { alreadyAsked: boolean }): boolean {
  return c.trusted && !c.enabled && !c.alreadyAsked;
}
