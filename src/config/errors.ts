/** Where a bad value was found; the message names it so the user can go straight there. */
export type ConfigErrorSource = {
	file?: string;
	/** JSONPath inside the file, e.g. `$.settings.topK`. */
	jsonPath?: string;
	/** 1-based position of a JSON syntax error. */
	line?: number;
	column?: number;
	/** An environment variable, for settings that came from the environment. */
	variable?: string;
};

/**
 * A config problem the user has to fix: the message is one complete sentence that says
 * where, what is wrong and how to fix it, so callers can print it as is.
 */
export class ConfigError extends Error {
	override readonly name = 'ConfigError';
	readonly file?: string;
	readonly jsonPath?: string;
	readonly fix: string;

	constructor(problem: string, fix: string, source: ConfigErrorSource = {}) {
		super(`${describeSource(source)}: ${problem}. Fix: ${fix}.`);
		this.file = source.file;
		this.jsonPath = source.jsonPath;
		this.fix = fix;
	}
}

function describeSource({file, jsonPath, line, column, variable}: ConfigErrorSource): string {
	if (variable !== undefined) return `Environment variable ${variable}`;
	const inFile = file === undefined ? 'Config' : `Config file ${file}`;
	if (jsonPath !== undefined) return `${inFile} at ${jsonPath}`;
	if (line !== undefined) return `${inFile}, line ${line}${column === undefined ? '' : `, column ${column}`}`;
	return inFile;
}

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

/** Segments that read unambiguously after a dot; anything else is bracketed and quoted. */
const PLAIN_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Renders a location inside the config as JSONPath, e.g. `$.mcpServers.github.args[1]`. */
export function formatJsonPath(segments: readonly PropertyKey[]): string {
	let path = '$';
	for (const segment of segments) {
		if (typeof segment === 'number') path += `[${segment}]`;
		else {
			const key = String(segment);
			path += PLAIN_SEGMENT.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
		}
	}
	return path;
}
