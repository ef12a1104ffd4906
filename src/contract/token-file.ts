import {randomBytes} from 'node:crypto';
import {statSync} from 'node:fs';
import {writeFileAtomic} from '../shared/atomic-file.js';
import {readTextIfExists} from '../shared/text-file.js';

/**
 * The bearer token every HTTP request to the daemon, and every bridge's socket greeting, must
 * carry; the daemon makes it. It survives restarts, so a bridge never races a token change; a
 * file others could read is replaced, since its token leaked.
 */
export function ensureToken(file: string): string {
	const existing = readTextIfExists(file)?.trim();
	if (existing && existing.length >= 32 && (statSync(file).mode & 0o077) === 0) {
		return existing;
	}

	const token = randomBytes(32).toString('base64url');
	writeFileAtomic(file, `${token}\n`);
	return token;
}

/** The daemon's bearer token, as bridges, hooks and the CLI read it. */
export function readToken(file: string): string | undefined {
	return readTextIfExists(file)?.trim() || undefined;
}
