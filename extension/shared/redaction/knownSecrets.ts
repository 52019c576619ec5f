// Secrets this process holds itself (the trainer-server's token, in the trainer-server and in the
// extension that talks to it). They have no recognisable shape (32 random bytes, base64url), so no
// rule can find them; they are replaced wherever they appear, exactly, before the rules run.
// The local trainer-server's token file is read once too, so a process that never talked to the
// trainer (the analysis server importing a transcript the token was pasted into) redacts it as well.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Shorter strings are too likely to occur by chance in ordinary text. */
const MIN_KNOWN_SECRET = 16;

const known = new Map<string, string>(); // secret -> placeholder type

export function rememberSecret(type: string, secret: string): void {
  if (secret.length >= MIN_KNOWN_SECRET) known.set(secret, type);
}

export function forgetSecret(secret: string): void {
  known.delete(secret);
}

export interface KnownHit { secret: string; type: string }

let localTokenRead = false;

/** ~/.autodidact-trainer/token (or $AUTODIDACT_TRAINER_HOME/token), once per process. */
function rememberLocalTrainerToken(): void {
  localTokenRead = true;
  const home = process.env.AUTODIDACT_TRAINER_HOME ?? path.join(os.homedir(), '.autodidact-trainer');
  try {
    rememberSecret('TRAINER_TOKEN', fs.readFileSync(path.join(home, 'token'), 'utf8').trim());
  } catch {
    // No trainer-server has run on this machine: nothing to remember.
  }
}

/** Replaces every known secret in `text`; `onHit` is told each one found. */
export function replaceKnownSecrets(text: string, onHit?: (hit: KnownHit) => void): string {
  if (!localTokenRead) rememberLocalTrainerToken();
  if (known.size === 0 || text.length < MIN_KNOWN_SECRET) return text;
  let out = text;
  for (const [secret, type] of known) {
    if (!out.includes(secret)) continue;
    out = out.split(secret).join(`[${type}]`);
    onHit?.({ secret, type });
  }
  return out;
}
