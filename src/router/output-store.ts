import {randomBytes} from 'node:crypto';

/** How long the rest of a cut output stays retrievable. */
export const OUTPUT_TTL_MS = 10 * 60 * 1000;
/** Bounds memory: past this many kept outputs the oldest goes first. */
const MAX_ENTRIES = 100;

/**
 * Full texts of tool outputs that were cut, kept for a while under a random key so a session can
 * read the rest in pieces. Shared by the sessions of a view: the key is unguessable and only the
 * session that got it was told.
 */
export class OutputStore {
	private readonly entries = new Map<string, {text: string; expires: number}>();

	put(text: string): string {
		this.sweep();
		const key = randomBytes(9).toString('base64url');
		this.entries.set(key, {text, expires: Date.now() + OUTPUT_TTL_MS});
		while (this.entries.size > MAX_ENTRIES) {
			this.entries.delete(this.entries.keys().next().value!);
		}

		return key;
	}

	get(key: string): string | undefined {
		this.sweep();
		return this.entries.get(key)?.text;
	}

	private sweep(): void {
		const now = Date.now();
		for (const [key, entry] of this.entries) {
			if (entry.expires < now) {
				this.entries.delete(key);
			}
		}
	}
}

/**
 * The end of a slice that keeps `limit` characters from `start` without splitting a surrogate
 * pair: text is never cut mid-character.
 */
export function sliceEnd(text: string, start: number, limit: number): number {
	const end = Math.min(text.length, start + limit);
	if (end < text.length && end > start) {
		const code = text.charCodeAt(end - 1);
		if (code >= 0xd8_00 && code <= 0xdb_ff) {
			return end - 1;
		}
	}

	return end;
}
