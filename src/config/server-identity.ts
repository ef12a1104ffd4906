import {isRecord} from '../shared/is-record.js';

/**
 * What makes two entries the same server, as a string to compare: the transport as written.
 * Deliberately literal, so two entries are never merged by a guess: `command`, `args`, `cwd`,
 * `url` compare as exact strings with `${VAR}` left unexpanded (`npx` and `/usr/bin/npx`
 * differ); `env` and `headers` compare as maps, whatever their key order; a missing `args`,
 * `env` or `headers` equals an empty one, and `"type": "stdio"` equals no type (Claude Code
 * writes both). Proxy-only keys (`namespace`, `disabled`, …) change how a server is served,
 * not which server it is, so they are left out. Undefined for an entry that is not an object.
 */
export function serverIdentity(raw: unknown): string | undefined {
	if (!isRecord(raw)) return undefined;
	if (raw.type === 'http' || raw.type === 'sse') {
		return JSON.stringify({type: raw.type, url: raw.url, headers: sortedMap(raw.headers)});
	}
	return JSON.stringify({
		type: 'stdio',
		command: raw.command,
		args: raw.args ?? [],
		env: sortedMap(raw.env),
		cwd: raw.cwd,
	});
}

/** Each server in `servers` (by name) keyed by its `serverIdentity`; a server listed twice keeps its first name. */
export function namesByIdentity(servers: Record<string, unknown>): Map<string, string> {
	const names = new Map<string, string>();
	for (const [name, raw] of Object.entries(servers)) {
		const identity = serverIdentity(raw);
		if (identity !== undefined && !names.has(identity)) names.set(identity, name);
	}
	return names;
}

function sortedMap(value: unknown): unknown {
	if (value === undefined) return [];
	if (!isRecord(value)) return value;
	return Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** One line for people: the command line of a stdio entry, or its type and url. */
export function describeEntry(raw: unknown): string {
	if (!isRecord(raw)) return '(not an object)';
	if (typeof raw.url === 'string') return `${typeof raw.type === 'string' ? raw.type : 'http'} ${raw.url}`;
	const args = Array.isArray(raw.args) ? raw.args.map(String) : [];
	return [String(raw.command), ...args].map(quoteIfNeeded).join(' ');
}

function quoteIfNeeded(word: string): string {
	return /^[\w@%+=:,./${}-]+$/.test(word) ? word : JSON.stringify(word);
}
