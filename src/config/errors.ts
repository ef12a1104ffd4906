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
