import {z} from 'zod';
import {describeValue} from './errors.js';
import {MAX_SECONDS, type Settings} from './settings.js';

export type StdioServer = {kind: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string};
export type RemoteServer = {kind: 'http' | 'sse'; url: string; headers: Record<string, string>};
export type Scope = 'global' | 'project' | 'session';

export type ServerSpec = {
	name: string;
	transport: StdioServer | RemoteServer;
	/** False: the server's tool and prompt names and resource URIs are exposed unprefixed. */
	namespace: boolean;
	disabled: boolean;
	scope: Scope;
	/** Overrides the `initTimeout` setting for this server. */
	initTimeoutMs?: number;
	/**
	 * `lazy`: with a catalog on disk, the server starts on its first use, not with the daemon or a
	 * session. `eager`: it starts at once and is never stopped for being idle.
	 */
	start: 'lazy' | 'eager';
	/** Overrides the `serverIdle` setting for this server; 0 never stops it for being idle. */
	idleTimeoutMs?: number;
	description?: string;
	/**
	 * `serialize`: calls from different sessions take turns from the start, so each request the
	 * server sends its client (sampling, elicitation, roots) is known to be for the one session in
	 * flight. Unset, the daemon starts serializing once the server has sent such a request.
	 */
	clientRequests?: 'serialize';
	/** The entry as written (before expansion), for change detection on reload. */
	raw: unknown;
};

/** An entry that could not be read; the other entries load regardless. */
export type BrokenServer = {
	name: string;
	/** One line naming the JSON path, e.g. `$.mcpServers.NAME.url`, and the fix. */
	error: string;
};

/**
 * One line for people: a loaded server's command line, or its transport and url, with `${VAR}`
 * expanded, so it may hold a secret; `describeEntry` shows an entry as written.
 */
export function describeTransport(transport: ServerSpec['transport']): string {
	return transport.kind === 'stdio' ? [transport.command, ...transport.args].join(' ') : `${transport.kind} ${transport.url}`;
}

export type ProxyConfig = {
	file: string;
	exists: boolean;
	servers: ServerSpec[];
	broken: BrokenServer[];
	settings: Settings;
};

/** Tool names get the server name as prefix and must fit 64 characters, so names stay short and plain. */
export const SERVER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

// Each schema's error text is the fix for that field; the problem itself is worded from the issue.
const asString = (fix: string) => z.string({error: fix});
const quoted = z.string({error: issue => `write it as a string, e.g. ${JSON.stringify(String(issue.input))}`});
const stringMap = (what: string, example: string) =>
	z.record(z.string(), quoted, {error: `write ${what} as an object of strings, e.g. ${example}`});

const proxyExtras = {
	namespace: z.boolean({error: 'write true or false, without quotes'}).optional(),
	disabled: z.boolean({error: 'write true or false, without quotes'}).optional(),
	scope: z.enum(['global', 'project', 'session'], {error: 'use "global", "project" or "session"'}).optional(),
	initTimeout: z
		.number({error: `use a number of seconds greater than 0 and up to ${MAX_SECONDS}`})
		.positive()
		.max(MAX_SECONDS)
		.optional(),
	start: z.enum(['lazy', 'eager'], {error: 'use "lazy" (start on first use) or "eager" (start at once, never idle)'}).optional(),
	idleTimeout: z
		.number({error: `use a number of seconds from 0 (never idle) up to ${MAX_SECONDS}`})
		.min(0)
		.max(MAX_SECONDS)
		.optional(),
	description: asString('write the description as a string').optional(),
	clientRequests: z
		.enum(['auto', 'serialize'], {error: 'use "serialize" (sessions take turns from the start) or "auto" (once the server asks)'})
		.optional(),
};

function entryObject<Shape extends z.ZodRawShape>(shape: Shape) {
	const allowed = Object.keys(shape).join(', ');
	return z.strictObject(shape, {
		error: issue =>
			issue.code === 'unrecognized_keys'
				? `remove it, or use one of the keys this entry allows: ${allowed}`
				: `write the entry as an object, e.g. {"command": "npx", "args": ["-y", "some-server"]}`,
	});
}

export const stdioEntry = entryObject({
	type: z.literal('stdio', {error: 'use "stdio", or leave "type" out, for a server started by a command'}).optional(),
	command: asString('set "command" to the program to run, e.g. "npx"').min(1),
	args: z.array(quoted, {error: 'write args as a list of strings, e.g. ["-y", "some-server"]'}).optional(),
	env: stringMap('env', '{"API_TOKEN": "${API_TOKEN}"}').optional(),
	cwd: asString('write cwd as a directory path').optional(),
	...proxyExtras,
});

export const remoteEntry = entryObject({
	type: z.enum(['http', 'sse'], {error: 'use "http", or "sse" for servers that only speak the older SSE transport'}),
	url: asString('set "url" to the server\'s address, starting with http:// or https://').min(1),
	headers: stringMap('headers', '{"Authorization": "Bearer ${API_TOKEN}"}').optional(),
	...proxyExtras,
});

export type StdioEntry = z.infer<typeof stdioEntry>;
export type RemoteEntry = z.infer<typeof remoteEntry>;

const EXPECTED: Partial<Record<string, string>> = {
	string: 'a string',
	number: 'a number',
	boolean: 'true or false',
	array: 'a list',
	object: 'an object',
	record: 'an object',
};

/** What is wrong, in words: the fix is the issue's message, set on each schema above. */
export function describeIssue(issue: z.core.$ZodIssue): string {
	switch (issue.code) {
		case 'invalid_type':
			// JSON has no undefined, so an undefined input means the key is absent.
			if (issue.input === undefined) return 'missing';
			return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describeValue(issue.input)}`;
		case 'invalid_value':
			return `${describeValue(issue.input)} is not allowed`;
		case 'too_small':
			return issue.origin === 'string' ? 'empty' : `${describeValue(issue.input)} is too small`;
		case 'too_big':
			return `${describeValue(issue.input)} is too large`;
		case 'unrecognized_keys':
			return 'unknown key';
		default:
			return 'not valid';
	}
}
