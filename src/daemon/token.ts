import {randomBytes, timingSafeEqual} from 'node:crypto';
import {statSync} from 'node:fs';
import {writeFileAtomic} from '../shared/atomic-file.js';
import {readTextIfExists} from '../shared/text-file.js';

/**
 * The bearer token every HTTP request to the daemon, and every bridge's socket greeting, must
 * carry. It survives restarts, so a bridge never races a token change; a file others could read
 * is replaced, since its token leaked.
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

/** Whether `given` is `expected`, in a time that does not tell how much of it matched. */
export function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}
