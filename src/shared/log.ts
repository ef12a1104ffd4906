export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = {readonly server?: string; readonly session?: string; readonly [key: string]: unknown};

const ORDER: Record<LogLevel, number> = {debug: 0, info: 1, warn: 2, error: 3};

export const REDACTED = '[redacted]';

/** A field or JSON key with one of these in its name holds a credential, whatever its value looks like. */
export const SENSITIVE_KEY = /token|secret|passw(?:or)?d|authorization|key|credential|cookie/i;

/** Shorter values are too likely to occur by chance: hiding them would garble the log and hide nothing. */
const MIN_SECRET_LENGTH = 4;

/**
 * Credentials that show in free text: error messages quote response bodies, command lines and
 * URLs, and nobody can list every secret in advance.
 */
const TOKEN_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
	// An HTTP credential after its scheme: "Authorization: Bearer …".
	[/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, `$1 ${REDACTED}`],
	// NAME=value, NAME: value and "NAME": "value" where NAME names a secret (command lines, URL queries, JSON
	// bodies); a `${VAR}` reference names where a secret comes from, not the secret, and stays.
	[
		new RegExp(
			String.raw`\b([\w-]*(?:token|secret|passw(?:or)?d|authorization|api[_-]?key|access[_-]?key|private[_-]?key|credential)s?)` +
				String.raw`("?\s*[=:]\s*"?)(?!\[redacted\]|Bearer\b|Basic\b|\$\{)([^\s"'&,;]+)`,
			'gi',
		),
		`$1$2${REDACTED}`,
	],
	// The password in a URL's user info.
	[/(\b[a-z][\w+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
	// Key formats of well-known services.
	[
		/\b(?:sk-[\w-]{6,}|gh[pousr]_\w{20,}|github_pat_\w{20,}|xox[abprs]-[\w-]{10,}|glpat-[\w-]{20,}|AKIA[0-9A-Z]{16}|AIza[\w-]{30,})/g,
		REDACTED,
	],
];

/**
 * Hides credentials in what the daemon writes: the secrets it was told (its bearer token, the
 * servers' env and header values), any value under a key that names a secret, and text shaped
 * like a credential. Shared by a logger and its children, so secrets told to one reach them all.
 */
export class Redactor {
	private secrets: string[] = [];

	add(values: Iterable<string>): void {
		const known = new Set(this.secrets);
		for (const value of values) {
			if (value.length >= MIN_SECRET_LENGTH) {
				known.add(value);
			}
		}

		// Longest first: a secret containing another must go whole, not leave its remainder behind.
		this.secrets = [...known].sort((a, b) => b.length - a.length);
	}

	text(text: string): string {
		let result = text;
		for (const secret of this.secrets) {
			result = result.replaceAll(secret, REDACTED);
		}

		for (const [pattern, replacement] of TOKEN_PATTERNS) {
			result = result.replace(pattern, replacement);
		}

		return result;
	}

	/** A value as it may be shown; `key` is the name it goes by, if any. */
	value(value: unknown, key?: string): unknown {
		if (value === undefined || value === null) {
			return value;
		}

		if (key !== undefined && SENSITIVE_KEY.test(key)) {
			return REDACTED;
		}

		if (typeof value === 'string') {
			return this.text(value);
		}

		if (Array.isArray(value)) {
			return value.map(item => this.value(item));
		}

		if (typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, this.value(item, name)]));
		}

		return value;
	}
}

function formatValue(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/**
 * One line per event — time, level, component, then `key=value` fields — so a log can be read
 * by a person and filtered with grep. Every message and field passes the redactor: callers pass
 * names and counts, but error texts quote what servers and the environment gave them.
 */
export class Logger {
	constructor(
		private readonly component: string,
		private readonly write: (line: string) => void = line => process.stderr.write(line),
		private readonly minimum: LogLevel = process.env.MCPPROXY_LOG_LEVEL === 'debug' ? 'debug' : 'info',
		readonly redactor: Redactor = new Redactor(),
	) {}

	/** Values never to be written, e.g. the daemon's bearer token; applies to this logger's children too. */
	addSecrets(values: Iterable<string>): void {
		this.redactor.add(values);
	}

	child(component: string): Logger {
		return new Logger(component, this.write, this.minimum, this.redactor);
	}

	debug(message: string, fields?: LogFields): void {
		this.log('debug', message, fields);
	}

	info(message: string, fields?: LogFields): void {
		this.log('info', message, fields);
	}

	warn(message: string, fields?: LogFields): void {
		this.log('warn', message, fields);
	}

	error(message: string, fields?: LogFields): void {
		this.log('error', message, fields);
	}

	private log(level: LogLevel, message: string, fields: LogFields = {}): void {
		if (ORDER[level] < ORDER[this.minimum]) {
			return;
		}

		const pairs = Object.entries(fields)
			.filter(([, value]) => value !== undefined)
			.map(([key, value]) => ` ${key}=${formatValue(this.redactor.value(value, key))}`)
			.join('');
		this.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${this.component} ${this.redactor.text(message)}${pairs}\n`);
	}
}
