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
