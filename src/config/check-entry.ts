import {readEntry} from './entry.js';
import {expandString, UnsetVariableError} from './expand.js';
import {isRecord} from './is-record.js';

export type EntryCheck = {ok: true; unsetVariables: string[]} | {ok: false; error: string};

// Stands in for a variable that is not set here; it fits anywhere, a url's host included.
const PLACEHOLDER = 'x';

/**
 * Whether the daemon can read `raw` as server `name`, with the very checks it uses. A
 * `${VAR}` that is unset in this shell does not make the entry invalid: the daemon may be
 * started with it set, so it is only listed for a warning. The daemon would report the
 * same entry as broken until then, which never blocks the other servers.
 */
export function checkEntry(name: string, raw: unknown, env: NodeJS.ProcessEnv): EntryCheck {
	const result = readEntry(name, raw, env);
	if (!('error' in result)) return {ok: true, unsetVariables: []};
	const unset = unsetVariables(raw, env);
	if (unset.length === 0) return {ok: false, error: result.error};
	const withPlaceholders = {...env, ...Object.fromEntries(unset.map((variable) => [variable, PLACEHOLDER]))};
	return 'error' in readEntry(name, raw, withPlaceholders) ? {ok: false, error: result.error} : {ok: true, unsetVariables: unset};
}

function unsetVariables(raw: unknown, env: NodeJS.ProcessEnv): string[] {
	const scope = {...env};
	const unset: string[] = [];
	for (const text of stringsIn(raw)) {
		for (;;) {
			try {
				expandString(text, scope);
				break;
			} catch (error) {
				if (!(error instanceof UnsetVariableError)) throw error;
				unset.push(error.variable);
				scope[error.variable] = PLACEHOLDER;
			}
		}
	}
	return unset;
}

function stringsIn(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(stringsIn);
	if (isRecord(value)) return Object.values(value).flatMap(stringsIn);
	return [];
}
