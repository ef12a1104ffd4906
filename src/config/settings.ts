import {ConfigError, describeValue, formatJsonPath, type ConfigErrorSource} from './errors.js';

export type Routing = 'direct' | 'retrieve' | 'dynamic';

export type Settings = {
	/** 0 picks a free port. */
	port: number;
	/**
	 * Accepted for aitkit compatibility and otherwise ignored: the endpoint only speaks streamable
	 * HTTP. Read anyway, so that a value the daemon cannot serve (aitkit's "sse") is refused
	 * instead of silently doing something else.
	 */
	transport: 'streamable-http';
	topK: number;
	toolsLimit: number;
	routing: Routing;
	/** How long the daemon stays up after its last session leaves. */
	lingerMs: number;
	sessionIdleMs: number;
	/** How long a server goes unused before it is stopped until its next use; 0 never. */
	serverIdleMs: number;
	/** How long an upstream may take to answer `initialize`. */
	initTimeoutMs: number;
	/** How long a forwarded request may go without progress. */
	requestTimeoutMs: number;
	/** Ping period for upstreams. */
	healthIntervalMs: number;
	/** Items per page of tools/prompts/resources lists. */
	pageSize: number;
	/** Largest accepted HTTP request body. */
	maxBodyBytes: number;
	/** Bound on the characters of one tool output. */
	maxOutputChars: number;
	/** Largest JSON-RPC message read from a server, a session or a bridge's peer. */
	maxMessageBytes: number;
};

/**
 * Longest duration a setting may hold: Node's timers overflow above 2^31-1 ms and then
 * fire at once, so a huge timeout would behave like none.
 */
export const MAX_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

/** How one setting is read from the environment (strings) or the file (JSON values). */
type Reader<T> = {
	/** What is accepted, worded to follow "use" and "is not". */
	readonly expect: string;
	/** The value as the program uses it, or undefined when the input is not acceptable. */
	readonly read: (input: unknown) => T | undefined;
};

type Row<T> = Reader<T> & {
	readonly env: string;
	/** The key inside the config file's `settings` object; durations are in seconds there. */
	readonly fileKey: string;
	/** The default as users write it (seconds for durations), so the docs show it as is. */
	readonly default: number | string;
	readonly description: string;
};

export type SettingKey = Row<Settings[keyof Settings]> & {readonly key: keyof Settings};

function toNumber(input: unknown): number | undefined {
	if (typeof input === 'number') return input;
	if (typeof input === 'string' && input.trim() !== '') return Number(input);
	return undefined;
}

function wholeNumber(min: number, max: number, expect: string): Reader<number> {
	return {
		expect,
		read: input => {
			const n = toNumber(input);
			return n !== undefined && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
		},
	};
}

const count = wholeNumber(1, Number.MAX_SAFE_INTEGER, 'a whole number ≥ 1');

function seconds(allowZero: boolean): Reader<number> {
	return {
		expect: `a number of seconds ${allowZero ? 'from 0' : 'greater than 0 and'} up to ${MAX_SECONDS}`,
		read: input => {
			const n = toNumber(input);
			if (n === undefined || !Number.isFinite(n) || n > MAX_SECONDS) return undefined;
			return n > 0 || (allowZero && n === 0) ? Math.round(n * 1000) : undefined;
		},
	};
}

function oneOf<const T extends string>(values: readonly T[], expect: string): Reader<T> {
	return {expect, read: input => values.find(value => value === input)};
}

// Typed per key, so a Settings field without a row, or a row reading the wrong type, fails to compile.
const TABLE: {readonly [K in keyof Settings]: Row<Settings[K]>} = {
	port: {
		env: 'MCPPROXY_PORT',
		fileKey: 'port',
		default: 12476,
		description: 'TCP port of the daemon on 127.0.0.1; 0 picks a free port.',
		...wholeNumber(0, 65535, 'a whole number from 0 to 65535 (0 picks a free port)'),
	},
	transport: {
		env: 'MCPPROXY_TRANSPORT',
		fileKey: 'transport',
		default: 'streamable-http',
		description:
			"Accepted for aitkit compatibility; the daemon's HTTP endpoint (/mcp) is always streamable-http, and any other value is refused. " +
			"The plugin's bridges use the daemon's Unix socket either way.",
		...oneOf(['streamable-http'], '"streamable-http" (the only transport for now)'),
	},
	topK: {
		env: 'MCPPROXY_TOP_K',
		fileKey: 'topK',
		default: 10,
		description: 'Matches a dynamic-routing retrieve_tools adds to the session.',
		...count,
	},
	toolsLimit: {
		env: 'MCPPROXY_TOOLS_LIMIT',
		fileKey: 'toolsLimit',
		default: 50,
		description: 'Most tools dynamic routing keeps in one session at once.',
		...count,
	},
	routing: {
		env: 'MCPPROXY_ROUTING',
		fileKey: 'routing',
		default: 'direct',
		description: 'direct lists every tool; retrieve and dynamic expose retrieve_tools and call_tool.',
		...oneOf(['direct', 'retrieve', 'dynamic'], 'one of "direct", "retrieve" or "dynamic"'),
	},
	lingerMs: {
		env: 'MCPPROXY_LINGER',
		fileKey: 'linger',
		default: 30,
		description: 'Seconds the daemon stays up after its last session ends.',
		...seconds(true),
	},
	sessionIdleMs: {
		env: 'MCPPROXY_SESSION_IDLE',
		fileKey: 'sessionIdle',
		default: 1800,
		description: 'Seconds without requests after which a client session is dropped.',
		...seconds(false),
	},
	serverIdleMs: {
		env: 'MCPPROXY_SERVER_IDLE',
		fileKey: 'serverIdle',
		default: 600,
		description: 'Seconds a server may go unused (nothing in flight, no subscription) before it stops until its next use; 0 never.',
		...seconds(true),
	},
	initTimeoutMs: {
		env: 'MCPPROXY_INIT_TIMEOUT',
		fileKey: 'initTimeout',
		default: 30,
		description: 'Seconds an upstream server may take to answer initialize.',
		...seconds(false),
	},
	requestTimeoutMs: {
		env: 'MCPPROXY_REQUEST_TIMEOUT',
		fileKey: 'requestTimeout',
		default: 600,
		description: 'Seconds a forwarded request may go without progress.',
		...seconds(false),
	},
	healthIntervalMs: {
		env: 'MCPPROXY_HEALTH_INTERVAL',
		fileKey: 'healthInterval',
		default: 30,
		description: 'Seconds between pings to each upstream server.',
		...seconds(false),
	},
	pageSize: {
		env: 'MCPPROXY_PAGE_SIZE',
		fileKey: 'pageSize',
		default: 100,
		description: 'Items per page of tools, prompts and resources lists.',
		...count,
	},
	maxBodyBytes: {
		env: 'MCPPROXY_MAX_BODY',
		fileKey: 'maxBody',
		default: 4 * 1024 * 1024,
		description: 'Largest accepted HTTP request body, in bytes.',
		...count,
	},
	maxOutputChars: {
		env: 'MCPPROXY_MAX_OUTPUT',
		fileKey: 'maxOutput',
		default: 100_000,
		description: 'Most characters of one tool output passed on to the client.',
		...count,
	},
	maxMessageBytes: {
		env: 'MCPPROXY_MAX_MESSAGE',
		fileKey: 'maxMessage',
		default: 64 * 1024 * 1024,
		description: 'Largest JSON-RPC message, in bytes, read from a server, a session or the daemon; a server that sends more is restarted.',
		...count,
	},
};

/**
 * The message size limit for a process that reads no config file (the bridge): its environment's,
 * else the default. A daemon tells its own limit in its state file.
 */
export function maxMessageFromEnv(env: NodeJS.ProcessEnv): number {
	const row = TABLE.maxMessageBytes;
	return row.read(env[row.env] || row.default) ?? (row.default as number);
}

/** The message size limit as errors name it: its value and where to change it. */
export function messageLimit(maxBytes: number): string {
	const {env, fileKey} = TABLE.maxMessageBytes;
	return `the limit of ${maxBytes} bytes for one message (setting ${fileKey}, ${env})`;
}

/** One row per setting, in the order the docs list them. */
export const SETTING_KEYS: readonly SettingKey[] = (Object.keys(TABLE) as (keyof Settings)[]).map(key => ({
	key,
	...TABLE[key],
}));

function example(input: number | string): string {
	return typeof input === 'string' ? JSON.stringify(input) : String(input);
}

function checkKnownKeys(fromFile: Partial<Record<string, unknown>>, file: string | undefined): void {
	const known = SETTING_KEYS.map(setting => setting.fileKey);
	for (const key of Object.keys(fromFile)) {
		if (known.includes(key)) continue;
		// A wrongly cased key is the likeliest typo, and worth naming outright.
		const near = known.find(candidate => candidate.toLowerCase() === key.toLowerCase());
		throw new ConfigError(
			`unknown setting ${JSON.stringify(key)}`,
			`${near === undefined ? '' : `write ${JSON.stringify(near)}, or `}use one of: ${known.join(', ')}`,
			{file, jsonPath: formatJsonPath(['settings', key])},
		);
	}
}

/**
 * The daemon's settings: each from its environment variable if set (an empty value counts
 * as unset), else from the config file's `settings` object, else the default. An invalid
 * value throws even where the other source would win, so a mistake never lingers unseen.
 */
export function resolveSettings(fromFile: Partial<Record<string, unknown>> | undefined, env: NodeJS.ProcessEnv, file?: string): Settings {
	if (fromFile !== undefined) checkKnownKeys(fromFile, file);
	const settings: Partial<Record<keyof Settings, Settings[keyof Settings]>> = {};
	for (const setting of SETTING_KEYS) {
		const envValue = env[setting.env] || undefined;
		const fileValue = fromFile?.[setting.fileKey];
		const fromEnvironment = envValue === undefined ? undefined : read(setting, envValue, {variable: setting.env});
		const fromConfig =
			fileValue === undefined ? undefined : read(setting, fileValue, {file, jsonPath: formatJsonPath(['settings', setting.fileKey])});
		settings[setting.key] = fromEnvironment ?? fromConfig ?? read(setting, setting.default, {});
	}
	// TABLE has a row for every key of Settings, each reading the type its key holds.
	return settings as Settings;
}

function read(setting: SettingKey, input: unknown, source: ConfigErrorSource): Settings[keyof Settings] {
	const value = setting.read(input);
	if (value !== undefined) return value;
	const shown = source.variable === undefined ? `${JSON.stringify(setting.fileKey)}: ` : `${setting.env}=`;
	throw new ConfigError(
		`${describeValue(input)} is not ${setting.expect}`,
		`use ${setting.expect}, e.g. ${shown}${example(setting.default)}`,
		source,
	);
}
