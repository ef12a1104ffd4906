import {isRecord} from './is-record.js';

/**
 * The object in a file this program wrote for itself (pid, state, lock, registration): one torn by
 * a crash or edited by hand reads as no record, never as an error, since its writer rewrites it.
 * Apart from json-file.ts, whose parser the bridge need not load.
 */
export function recordIn(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		return isRecord(value) ? value : undefined;
	} catch {
		return undefined;
	}
}
