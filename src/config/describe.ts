import type {ServerSpec} from './schema.js';

const MAX_SHOWN_CHARS = 40;

/**
 * A short, single-line rendering of a config value for error messages: long strings
 * are cut and containers are only named, so one bad entry cannot flood the log.
 */
export function describeValue(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') {
		const shown = value.length > MAX_SHOWN_CHARS ? `${value.slice(0, MAX_SHOWN_CHARS)}…` : value;
		return JSON.stringify(shown);
	}
	return String(value);
}

/**
 * One line for people: a loaded server's command line, or its transport and url, with `${VAR}`
 * expanded, so it may hold a secret; `describeEntry` shows an entry as written.
 */
export function describeTransport(transport: ServerSpec['transport']): string {
	return transport.kind === 'stdio' ? [transport.command, ...transport.args].join(' ') : `${transport.kind} ${transport.url}`;
}
