import {lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {expandString, UnsetVariableError} from '../src/config/entry.js';
import {writeConfigAtomic} from '../src/config/edit-config.js';
import {ConfigError, loadConfig, parseConfig} from '../src/config/load.js';
import type {ProxyConfig} from '../src/config/schema.js';
import {resolveSettings, SETTING_KEYS} from '../src/config/settings.js';

const FILE = '/home/me/.aitkit/lib/mcpproxy/mcp_proxy_config.json';

function parse(config: unknown, env: NodeJS.ProcessEnv = {}): ProxyConfig {
	return parseConfig(JSON.stringify(config), FILE, env);
}

function parseError(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
	try {
		parseConfig(text, FILE, env);
	} catch (error) {
		if (error instanceof ConfigError) return error;
		throw error;
	}
	throw new Error('expected a ConfigError');
}

/** The one-line error of a config holding only the entry `name`. */
function entryError(name: string, entry: unknown, env: NodeJS.ProcessEnv = {}): string {
	const {servers, broken} = parse({mcpServers: {[name]: entry}}, env);
	expect(servers).toEqual([]);
	expect(broken).toHaveLength(1);
	return broken[0]!.error;
}

describe('${VAR} expansion', () => {
	const env = {HOME: '/home/me', EMPTY: ''};

	it('replaces a set variable, anywhere in the string', () => {
		expect(expandString('${HOME}/data:${HOME}', env)).toBe('/home/me/data:/home/me');
	});

	it('uses a set variable over its default, even when the variable is empty (as Claude Code does)', () => {
		expect(expandString('${HOME:-/tmp}', env)).toBe('/home/me');
		expect(expandString('[${EMPTY:-fallback}]', env)).toBe('[]');
	});

	it('uses the default when the variable is unset; the default may be empty or hold ":-"', () => {
		expect(expandString('${NOPE:-/tmp}/x', env)).toBe('/tmp/x');
		expect(expandString('[${NOPE:-}]', env)).toBe('[]');
		expect(expandString('${NOPE:-a:-b}', env)).toBe('a:-b');
	});

	it('refuses an unset variable without default, naming it', () => {
		expect(() => expandString('Bearer ${API_TOKEN}', env)).toThrow(UnsetVariableError);
		expect(() => expandString('Bearer ${API_TOKEN}', env)).toThrow('${API_TOKEN} is not set');
	});

	it('leaves text without references alone', () => {
		expect(expandString('$HOME and {braces} and $', env)).toBe('$HOME and {braces} and $');
	});

	it('applies to command, args, env values and cwd of a stdio entry', () => {
		const {servers} = parse(
			{
				mcpServers: {
					fs: {
						command: '${BIN:-npx}',
						args: ['-y', '${HOME}/server'],
						env: {ROOT: '${HOME}', KEEP: 'plain'},
						cwd: '${HOME}/work',
					},
				},
			},
			env,
		);
		expect(servers[0]?.transport).toEqual({
			kind: 'stdio',
			command: 'npx',
			args: ['-y', '/home/me/server'],
			env: {ROOT: '/home/me', KEEP: 'plain'},
			cwd: '/home/me/work',
		});
	});

	it('applies to url and header values of a remote entry', () => {
		const {servers} = parse(
			{
				mcpServers: {
					api: {
						type: 'http',
						url: '${API_URL:-https://api.example.com}/mcp',
						headers: {Authorization: 'Bearer ${TOKEN}'},
					},
				},
			},
			{TOKEN: 'secret'},
		);
		expect(servers[0]?.transport).toEqual({
			kind: 'http',
			url: 'https://api.example.com/mcp',
			headers: {Authorization: 'Bearer secret'},
		});
	});

	it('makes an entry with an unset variable broken, saying where and how to fix it', () => {
		expect(entryError('github', {command: 'gh-mcp', env: {GITHUB_TOKEN: '${GITHUB_TOKEN}'}})).toBe(
			'$.mcpServers.github.env.GITHUB_TOKEN: ${GITHUB_TOKEN} is not set. ' +
				'Fix: set GITHUB_TOKEN in the environment, or write ${GITHUB_TOKEN:-default}.',
		);
	});

	it('keeps the entry as written in `raw`, for change detection on reload', () => {
		const entry = {command: 'npx', args: ['${HOME}']};
		expect(parse({mcpServers: {fs: entry}}, env).servers[0]?.raw).toEqual(entry);
	});
});

describe('server entries', () => {
	it('reads a stdio entry with defaults for everything optional', () => {
		expect(parse({mcpServers: {memory: {command: 'npx'}}}).servers).toEqual([
			{
				name: 'memory',
				transport: {kind: 'stdio', command: 'npx', args: [], env: {}},
				namespace: true,
				disabled: false,
				scope: 'global',
				start: 'lazy',
				raw: {command: 'npx'},
			},
		]);
	});

	it('accepts and ignores "type": "stdio", which Claude Code may write', () => {
		expect(parse({mcpServers: {memory: {type: 'stdio', command: 'npx'}}}).servers[0]?.transport.kind).toBe('stdio');
	});

	it('reads http and sse entries', () => {
		const {servers} = parse({
			mcpServers: {
				web: {type: 'http', url: 'https://example.com/mcp'},
				legacy: {type: 'sse', url: 'http://127.0.0.1:9000/sse', headers: {'X-Key': 'k'}},
			},
		});
		expect(servers.map(server => server.transport)).toEqual([
			{kind: 'http', url: 'https://example.com/mcp', headers: {}},
			{kind: 'sse', url: 'http://127.0.0.1:9000/sse', headers: {'X-Key': 'k'}},
		]);
	});

	it('reads the proxy-only extras', () => {
		const [server] = parse({
			mcpServers: {
				fs: {
					command: 'npx',
					namespace: false,
					disabled: true,
					scope: 'session',
					initTimeout: 2.5,
					start: 'eager',
					idleTimeout: 0,
					description: 'Files of the current project',
				},
			},
		}).servers;
		expect(server).toMatchObject({
			namespace: false,
			disabled: true,
			scope: 'session',
			initTimeoutMs: 2500,
			start: 'eager',
			idleTimeoutMs: 0,
			description: 'Files of the current project',
		});
	});

	it('allows two entries with "namespace": false (their tool names are checked later, by the router)', () => {
		const {servers, broken} = parse({
			mcpServers: {a: {command: 'a', namespace: false}, b: {command: 'b', namespace: false}},
		});
		expect(servers.map(server => server.name)).toEqual(['a', 'b']);
		expect(broken).toEqual([]);
	});

	it('puts a broken entry in `broken` and still loads the others', () => {
		const {servers, broken} = parse({
			mcpServers: {
				first: {command: 'npx'},
				bad: {args: ['x']},
				last: {type: 'http', url: 'https://example.com'},
			},
		});
		expect(servers.map(server => server.name)).toEqual(['first', 'last']);
		expect(broken).toEqual([
			{name: 'bad', error: '$.mcpServers.bad.command: missing. Fix: set "command" to the program to run, e.g. "npx".'},
		]);
	});
});

describe('broken entries', () => {
	it('names an unknown key and lists the allowed ones', () => {
		expect(entryError('fs', {command: 'npx', arg: ['x']})).toBe(
			'$.mcpServers.fs.arg: unknown key. Fix: remove it, or use one of the keys this entry allows: ' +
				'type, command, args, env, cwd, namespace, disabled, scope, initTimeout, start, idleTimeout, description, clientRequests.',
		);
	});

	it('reports every problem of the entry at once, on one line', () => {
		const error = entryError('fs', {command: 42, args: ['-y', 7], scope: 'everywhere'});
		expect(error).toBe(
			[
				'$.mcpServers.fs.command: expected a string, got 42. Fix: set "command" to the program to run, e.g. "npx".',
				'$.mcpServers.fs.args[1]: expected a string, got 7. Fix: write it as a string, e.g. "7".',
				'$.mcpServers.fs.scope: "everywhere" is not allowed. Fix: use "global", "project" or "session".',
			].join(' '),
		);
		expect(error).not.toContain('\n');
	});

	it('refuses an entry that is not an object', () => {
		expect(entryError('fs', 'npx server')).toContain(
			'$.mcpServers.fs: expected an object, got "npx server". Fix: write the entry as an object, e.g. {"command": "npx"',
		);
	});

	it('refuses an unknown type, and a url without a type', () => {
		expect(entryError('ws', {type: 'websocket', url: 'wss://x'})).toBe(
			'$.mcpServers.ws.type: "websocket" is not a server type. ' +
				'Fix: use "http" or "sse" for a server at a url, or leave "type" out for one started by a command.',
		);
		expect(entryError('web', {url: 'https://example.com'})).toBe(
			'$.mcpServers.web.type: missing for an entry with a "url". ' +
				'Fix: add "type": "http", or "sse" for servers that only speak the older SSE transport.',
		);
	});

	it('refuses a missing url or one that is not http(s) after expansion', () => {
		expect(entryError('web', {type: 'http'})).toBe(
			'$.mcpServers.web.url: missing. Fix: set "url" to the server\'s address, starting with http:// or https://.',
		);
		expect(entryError('web', {type: 'sse', url: '${HOST:-localhost:8080}/sse'})).toBe(
			'$.mcpServers.web.url: "localhost:8080/sse" is not an http:// or https:// URL. ' +
				'Fix: write the full address, e.g. "https://example.com/mcp".',
		);
	});

	it('refuses stdio keys on a remote entry', () => {
		expect(entryError('web', {type: 'http', url: 'https://example.com', command: 'npx'})).toMatch(
			/^\$\.mcpServers\.web\.command: unknown key\. Fix: remove it, or use one of the keys this entry allows: type, url, headers,/,
		);
	});

	it('refuses a bad initTimeout', () => {
		expect(entryError('fs', {command: 'npx', initTimeout: 0})).toBe(
			'$.mcpServers.fs.initTimeout: 0 is too small. Fix: use a number of seconds greater than 0 and up to 2147483.',
		);
	});

	it('refuses a server name tools could not be named after', () => {
		expect(entryError('my server', {command: 'npx'})).toBe(
			'$.mcpServers["my server"]: "my server" is not a valid server name. ' +
				'Fix: rename it to at most 64 letters, digits, "_", "." or "-", starting with a letter or digit.',
		);
		expect(entryError('x'.repeat(65), {command: 'npx'})).toContain('is not a valid server name');
	});
});

describe('errors about the whole file', () => {
	it('gives line and column of a JSON syntax error', () => {
		const error = parseError('{\n  "mcpServers": {\n    "fs": {"command": "npx",}\n  }\n}');
		expect(error.message).toBe(
			`Config file ${FILE}, line 3, column 29: not valid JSON: expected double-quoted property name. ` +
				'Fix: correct the JSON there (it allows no comments or trailing commas, and strings need double quotes).',
		);
		expect(error.file).toBe(FILE);
	});

	it.each([
		['an unquoted value in a short file', '{"a": x}', 'line 1, column 7', "unexpected token 'x'"],
		['an unquoted value near the start', '{"a": x, "bbbbbbbbbbbbbbbbbbbbbbbb": 2}', 'line 1, column 7', "unexpected token 'x'"],
		['an unquoted value in the middle', `{\n"mcpServers": {\n"fs": {"command": npx}}}`, 'line 3, column 20', "unexpected token 'p'"],
		['an unquoted value near the end', '{"bbbbbbbbbbbbbbbbbbbbbbbb": 2, "a": x}', 'line 1, column 38', "unexpected token 'x'"],
		['a cut-off file', '{"mcpServers":\n  {"fs": [', 'line 2, column 11', 'unexpected end of JSON input'],
		['an empty file', '', 'line 1, column 1', 'unexpected end of JSON input'],
	])('locates %s', (_case, text, location, problem) => {
		expect(parseError(text).message).toContain(`${FILE}, ${location}: not valid JSON: ${problem}.`);
	});

	it('places a misspelt word where it stops being one', () => {
		// V8 quotes a short text whole, so its message could not place a token occurring twice.
		expect(parseError('{"u": fu}').message).toMatch(
			new RegExp(`^Config file ${FILE}, line 1, column 8: not valid JSON: unexpected token 'u'\\. Fix: `),
		);
	});

	it('accepts a byte order mark before the JSON', () => {
		expect(parseConfig('\uFEFF{"mcpServers": {"fs": {"command": "npx"}}}', FILE, {}).servers).toHaveLength(1);
	});

	it('refuses a top level that is not an object', () => {
		expect(parseError('[]').message).toBe(
			`Config file ${FILE} at $: the top level is a list, not an object. ` +
				'Fix: write the config as {"mcpServers": {"NAME": {"command": "…"}}}.',
		);
	});

	it('refuses mcpServers that is not an object, naming its path', () => {
		const error = parseError('{"mcpServers": [{"command": "npx"}]}');
		expect(error.jsonPath).toBe('$.mcpServers');
		expect(error.message).toMatch(/at \$\.mcpServers: expected an object of servers by name, got a list\. Fix: /);
	});

	it('refuses settings that is not an object', () => {
		expect(parseError('{"settings": 5}').jsonPath).toBe('$.settings');
	});

	it('treats a missing mcpServers as no servers', () => {
		expect(parse({})).toMatchObject({exists: true, servers: [], broken: []});
	});
});

describe('settings', () => {
	it('defaults to the documented values', () => {
		expect(resolveSettings(undefined, {})).toEqual({
			port: 12476,
			transport: 'streamable-http',
			topK: 10,
			toolsLimit: 50,
			routing: 'direct',
			lingerMs: 30_000,
			sessionIdleMs: 1_800_000,
			serverIdleMs: 600_000,
			initTimeoutMs: 30_000,
			requestTimeoutMs: 600_000,
			healthIntervalMs: 30_000,
			pageSize: 100,
			maxBodyBytes: 4 * 1024 * 1024,
			maxOutputChars: 100_000,
			maxMessageBytes: 64 * 1024 * 1024,
		});
	});

	it('reads the "settings" object of the file, durations in seconds', () => {
		const {settings} = parse({settings: {topK: 3, routing: 'retrieve', linger: 0.5, maxBody: 1024}});
		expect(settings).toMatchObject({topK: 3, routing: 'retrieve', lingerMs: 500, maxBodyBytes: 1024});
	});

	it('lets the environment win over the file, and treats an empty variable as unset', () => {
		const {settings} = parse(
			{settings: {topK: 3, routing: 'retrieve', port: 4000}},
			{MCPPROXY_TOP_K: '7', MCPPROXY_ROUTING: 'dynamic', MCPPROXY_PORT: '', MCPPROXY_SESSION_IDLE: '60'},
		);
		expect(settings).toMatchObject({topK: 7, routing: 'dynamic', port: 4000, sessionIdleMs: 60_000});
	});

	it('explains an invalid environment variable', () => {
		expect(() => resolveSettings(undefined, {MCPPROXY_TOP_K: 'ten'})).toThrow(
			'Environment variable MCPPROXY_TOP_K: "ten" is not a whole number ≥ 1. Fix: use a whole number ≥ 1, e.g. MCPPROXY_TOP_K=10.',
		);
	});

	it('explains an invalid file value, naming file and path', () => {
		expect(parseError('{"settings": {"routing": "smart"}}').message).toBe(
			`Config file ${FILE} at $.settings.routing: "smart" is not one of "direct", "retrieve" or "dynamic". ` +
				'Fix: use one of "direct", "retrieve" or "dynamic", e.g. "routing": "direct".',
		);
	});

	it.each([
		['MCPPROXY_PORT', '70000'],
		['MCPPROXY_PORT', '-1'],
		['MCPPROXY_TRANSPORT', 'stdio'],
		['MCPPROXY_TOOLS_LIMIT', '0'],
		['MCPPROXY_PAGE_SIZE', '2.5'],
		['MCPPROXY_SESSION_IDLE', '0'],
		['MCPPROXY_LINGER', '-1'],
		// Node timers fire at once past 2^31-1 ms, so longer durations are refused.
		['MCPPROXY_REQUEST_TIMEOUT', '3000000'],
	])('refuses %s=%s', (variable, value) => {
		expect(() => resolveSettings(undefined, {[variable]: value})).toThrow(`Environment variable ${variable}: `);
	});

	it('accepts port 0 (pick a free port) and linger 0', () => {
		expect(resolveSettings(undefined, {MCPPROXY_PORT: '0', MCPPROXY_LINGER: '0'})).toMatchObject({
			port: 0,
			lingerMs: 0,
		});
	});

	it('refuses an unknown key in "settings", listing the known ones', () => {
		expect(parseError('{"settings": {"topk": 3}}').message).toBe(
			`Config file ${FILE} at $.settings.topk: unknown setting "topk". Fix: write "topK", or use one of: ` +
				'port, transport, topK, toolsLimit, routing, linger, sessionIdle, serverIdle, initTimeout, requestTimeout, ' +
				'healthInterval, pageSize, maxBody, maxOutput, maxMessage.',
		);
	});

	it('documents every setting in one table', () => {
		expect(SETTING_KEYS.map(setting => setting.env)).toEqual([
			'MCPPROXY_PORT',
			'MCPPROXY_TRANSPORT',
			'MCPPROXY_TOP_K',
			'MCPPROXY_TOOLS_LIMIT',
			'MCPPROXY_ROUTING',
			'MCPPROXY_LINGER',
			'MCPPROXY_SESSION_IDLE',
			'MCPPROXY_SERVER_IDLE',
			'MCPPROXY_INIT_TIMEOUT',
			'MCPPROXY_REQUEST_TIMEOUT',
			'MCPPROXY_HEALTH_INTERVAL',
			'MCPPROXY_PAGE_SIZE',
			'MCPPROXY_MAX_BODY',
			'MCPPROXY_MAX_OUTPUT',
			'MCPPROXY_MAX_MESSAGE',
		]);
		for (const setting of SETTING_KEYS) expect(setting.description).not.toBe('');
	});
});

describe('config files', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(join(tmpdir(), 'mcp-tooling-config-'));
	});
	afterEach(() => {
		rmSync(dir, {recursive: true, force: true});
	});

	it('treats a missing file as an empty config, with settings from the environment', () => {
		const file = join(dir, 'missing.json');
		expect(loadConfig(file, {MCPPROXY_TOP_K: '4'})).toMatchObject({
			file,
			exists: false,
			servers: [],
			broken: [],
			settings: {topK: 4},
		});
	});

	it('loads a file', () => {
		const file = join(dir, 'config.json');
		writeFileSync(file, JSON.stringify({mcpServers: {fs: {command: 'npx'}}}));
		expect(loadConfig(file, {})).toMatchObject({file, exists: true, servers: [{name: 'fs'}]});
	});

	it('refuses a path that cannot be read as a file', () => {
		expect(() => loadConfig(dir, {})).toThrow(new RegExp(`^Config file ${dir}: cannot be read \\(EISDIR`));
	});

	it('writes atomically: 2-space JSON with a trailing newline, private when new, directories created', () => {
		const file = join(dir, 'nested', 'deeper', 'config.json');
		const data = {mcpServers: {fs: {command: 'npx'}}};
		writeConfigAtomic(file, data);
		expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(data, null, 2)}\n`);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(loadConfig(file, {}).servers).toHaveLength(1);
	});

	it('keeps the mode of a replaced file and leaves no temp file behind', () => {
		const file = join(dir, 'config.json');
		writeFileSync(file, '{}', {mode: 0o640});
		writeConfigAtomic(file, {mcpServers: {}});
		expect(statSync(file).mode & 0o777).toBe(0o640);
		expect(readFileSync(file, 'utf8')).toBe('{\n  "mcpServers": {}\n}\n');
		expect(readdirSync(dir)).toEqual(['config.json']);
	});

	it('writes through a symlinked config instead of replacing the link', () => {
		const real = join(dir, 'dotfiles', 'config.json');
		mkdirSync(join(dir, 'dotfiles'));
		writeFileSync(real, '{}');
		const link = join(dir, 'config.json');
		symlinkSync(real, link);
		writeConfigAtomic(link, {settings: {topK: 2}});
		expect(JSON.parse(readFileSync(real, 'utf8'))).toEqual({settings: {topK: 2}});
		expect(lstatSync(link).isSymbolicLink()).toBe(true);
	});
});
