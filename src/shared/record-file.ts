import {isRecord} from './is-record.js';

/**
 * The object in a JSON text that should hold one: a file this program wrote for itself (pid,
 * state, lock, registration), a bridge's greeting, a hook's input. One torn by a crash, edited by
 * hand or sent by a stranger reads as no record, never as an error: its writer rewrites it, or it
 * was not ours. Apart from json-file.ts, whose parser the bridge need not load.
 */
export function recordIn(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		return isRecord(value) ? value : undefined;
	} catch {
		return undefined;
	}
}
