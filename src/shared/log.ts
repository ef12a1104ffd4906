export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogFields = {readonly server?: string; readonly session?: string; readonly [key: string]: unknown};

const ORDER: Record<LogLevel, number> = {debug: 0, info: 1, warn: 2, error: 3};

function formatValue(value: unknown): string {
	const text = typeof value === 'string' ? value : JSON.stringify(value);
	return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/**
 * One line per event — time, level, component, then `key=value` fields — so a log can be read
 * by a person and filtered with grep. Callers pass names and counts, never tokens or env values.
 */
export class Logger {
	constructor(
		private readonly component: string,
		private readonly write: (line: string) => void = line => process.stderr.write(line),
		private readonly minimum: LogLevel = process.env.MCPPROXY_LOG_LEVEL === 'debug' ? 'debug' : 'info',
	) {}

	child(component: string): Logger {
		return new Logger(component, this.write, this.minimum);
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
			.map(([key, value]) => ` ${key}=${formatValue(value)}`)
			.join('');
		this.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${this.component} ${message}${pairs}\n`);
	}
}
