import type {z} from 'zod';
import {isRecord} from '../shared/is-record.js';
import {describeValue, formatJsonPath} from './errors.js';
import {
	describeIssue,
	remoteEntry,
	SERVER_NAME,
	stdioEntry,
	type BrokenServer,
	type RemoteEntry,
	type RemoteServer,
	type ServerSpec,
	type StdioEntry,
	type StdioServer,
} from './schema.js';

/** A `${VAR}` reference with no value and no default. */
export class UnsetVariableError extends Error {
	override readonly name = 'UnsetVariableError';

	constructor(readonly variable: string) {
		super(`\${${variable}} is not set`);
	}
}

const REFERENCE = /\$\{([^}]+)\}/g;
const DEFAULT_SEPARATOR = ':-';

/**
 * Expands `${VAR}` and `${VAR:-default}` the way Claude Code does in `.mcp.json`, so an
 * entry copied from there behaves the same: a variable that is set wins even when empty
 * (unlike the shell's `:-`), and the default is used only when the variable is unset.
 */
export function expandString(value: string, env: NodeJS.ProcessEnv): string {
	return value.replace(REFERENCE, (_reference, body: string) => {
		const separator = body.indexOf(DEFAULT_SEPARATOR);
		const variable = separator === -1 ? body : body.slice(0, separator);
		const fromEnv = env[variable];
		if (fromEnv !== undefined) return fromEnv;
		if (separator !== -1) return body.slice(separator + DEFAULT_SEPARATOR.length);
		throw new UnsetVariableError(variable);
	});
}

type Locate = (...path: PropertyKey[]) => string;

function sentence(where: string, problem: string, fix: string): string {
	return `${where}: ${problem}. Fix: ${fix}.`;
}

/**
 * Reads one `mcpServers` entry: validates it, expands `${VAR}` references and checks the
 * url. Every problem of the entry is reported at once, so one edit can fix them all.
 */
export function readEntry(name: string, raw: unknown, env: NodeJS.ProcessEnv): ServerSpec | BrokenServer {
	const at: Locate = (...path) => formatJsonPath(['mcpServers', name, ...path]);
	const broken = (problems: string[]): BrokenServer => ({name, error: problems.join(' ')});

	if (!SERVER_NAME.test(name)) {
		return broken([
			sentence(
				at(),
				`${describeValue(name)} is not a valid server name`,
				'rename it to at most 64 letters, digits, "_", "." or "-", starting with a letter or digit',
			),
		]);
	}
	const typeProblem = checkType(raw, at);
	if (typeProblem !== undefined) return broken([typeProblem]);

	const remote = isRecord(raw) && (raw.type === 'http' || raw.type === 'sse');
	const parsed = remote ? remoteEntry.safeParse(raw, {reportInput: true}) : stdioEntry.safeParse(raw, {reportInput: true});
	if (!parsed.success) return broken(parsed.error.issues.flatMap(issue => issueSentences(issue, at)));

	const {expand, problems} = expander(env, at);
	const entry = parsed.data;
	const transport = 'url' in entry ? remoteTransport(entry, expand) : stdioTransport(entry, expand);
	// Checked only once all else expanded: a url still holding `${VAR}` would fail for the wrong reason.
	if (transport.kind !== 'stdio' && problems.length === 0 && !isWebUrl(transport.url)) {
		problems.push(
			sentence(
				at('url'),
				`${describeValue(transport.url)} is not an http:// or https:// URL`,
				'write the full address, e.g. "https://example.com/mcp"',
			),
		);
	}
	if (problems.length > 0) return broken(problems);

	return {
		name,
		transport,
		namespace: entry.namespace ?? true,
		disabled: entry.disabled ?? false,
		scope: entry.scope ?? 'global',
		...(entry.initTimeout === undefined ? {} : {initTimeoutMs: Math.round(entry.initTimeout * 1000)}),
		start: entry.start ?? 'lazy',
		...(entry.idleTimeout === undefined ? {} : {idleTimeoutMs: Math.round(entry.idleTimeout * 1000)}),
		...(entry.description === undefined ? {} : {description: entry.description}),
		...(entry.clientRequests === 'serialize' ? {clientRequests: 'serialize' as const} : {}),
		raw,
	};
}

/** A wrong or missing `type` decides which keys are allowed, so it is reported alone. */
function checkType(raw: unknown, at: Locate): string | undefined {
	if (!isRecord(raw)) return undefined;
	const {type} = raw;
	if (type === undefined) {
		return 'url' in raw && !('command' in raw)
			? sentence(
					at('type'),
					'missing for an entry with a "url"',
					'add "type": "http", or "sse" for servers that only speak the older SSE transport',
				)
			: undefined;
	}
	if (type === 'stdio' || type === 'http' || type === 'sse') return undefined;
	return sentence(
		at('type'),
		`${describeValue(type)} is not a server type`,
		'use "http" or "sse" for a server at a url, or leave "type" out for one started by a command',
	);
}

function issueSentences(issue: z.core.$ZodIssue, at: Locate): string[] {
	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map(key => sentence(at(...issue.path, key), describeIssue(issue), issue.message));
	}
	return [sentence(at(...issue.path), describeIssue(issue), issue.message)];
}

type Expand = (value: string, ...path: PropertyKey[]) => string;

function expander(env: NodeJS.ProcessEnv, at: Locate): {expand: Expand; problems: string[]} {
	const problems: string[] = [];
	const expand: Expand = (value, ...path) => {
		try {
			return expandString(value, env);
		} catch (error) {
			if (!(error instanceof UnsetVariableError)) throw error;
			const {variable} = error;
			problems.push(
				sentence(at(...path), `\${${variable}} is not set`, `set ${variable} in the environment, or write \${${variable}:-default}`),
			);
			return value;
		}
	};
	return {expand, problems};
}

function expandValues(values: Record<string, string> | undefined, expand: Expand, field: string): Record<string, string> {
	return Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [key, expand(value, field, key)]));
}

function stdioTransport(entry: StdioEntry, expand: Expand): StdioServer {
	return {
		kind: 'stdio',
		command: expand(entry.command, 'command'),
		args: (entry.args ?? []).map((arg, index) => expand(arg, 'args', index)),
		env: expandValues(entry.env, expand, 'env'),
		...(entry.cwd === undefined ? {} : {cwd: expand(entry.cwd, 'cwd')}),
	};
}

function remoteTransport(entry: RemoteEntry, expand: Expand): RemoteServer {
	return {kind: entry.type, url: expand(entry.url, 'url'), headers: expandValues(entry.headers, expand, 'headers')};
}

function isWebUrl(text: string): boolean {
	try {
		const {protocol} = new URL(text);
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}

export type EntryCheck = {ok: true; unsetVariables: string[]} | {ok: false; error: string};

// Stands in for a variable that is not set here; it fits anywhere, a url's host included.
const PLACEHOLDER = 'x';

/**
 * Whether the daemon can read `raw` as server `name`, with the very checks it uses. A
 * `${VAR}` that is unset in this shell does not make the entry invalid: the daemon may be
 * started with it set, so it is only listed for a warning. The daemon would report the
 * same entry as broken until then, which never blocks the other servers.
 */
export function checkEntry(name: string, raw: unknown, env: NodeJS.ProcessEnv): EntryCheck {
	const result = readEntry(name, raw, env);
	if (!('error' in result)) return {ok: true, unsetVariables: []};
	const unset = unsetVariables(raw, env);
	if (unset.length === 0) return {ok: false, error: result.error};
	const withPlaceholders = {...env, ...Object.fromEntries(unset.map(variable => [variable, PLACEHOLDER]))};
	return 'error' in readEntry(name, raw, withPlaceholders) ? {ok: false, error: result.error} : {ok: true, unsetVariables: unset};
}

function unsetVariables(raw: unknown, env: NodeJS.ProcessEnv): string[] {
	const scope = {...env};
	const unset: string[] = [];
	for (const text of stringsIn(raw)) {
		for (;;) {
			try {
				expandString(text, scope);
				break;
			} catch (error) {
				if (!(error instanceof UnsetVariableError)) throw error;
				unset.push(error.variable);
				scope[error.variable] = PLACEHOLDER;
			}
		}
	}
	return unset;
}

function stringsIn(value: unknown): string[] {
	if (typeof value === 'string') return [value];
	if (Array.isArray(value)) return value.flatMap(stringsIn);
	if (isRecord(value)) return Object.values(value).flatMap(stringsIn);
	return [];
}

/** Stands in for the project root while a project or session entry is checked at load time. */
const ROOT_PLACEHOLDER = '/path/to/project';

/** A project's root, under the names a project or session entry may use for it. */
function withProjectRoot(env: NodeJS.ProcessEnv, root: string): NodeJS.ProcessEnv {
	return {...env, PROJECT_DIR: root, CLAUDE_PROJECT_DIR: root};
}

/** The environment a config entry is read with: project and session entries get a stand-in root. */
export function loadEnv(raw: unknown, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const scope = typeof raw === 'object' && raw !== null ? (raw as {scope?: unknown}).scope : undefined;
	return scope === 'project' || scope === 'session' ? withProjectRoot(env, ROOT_PLACEHOLDER) : env;
}

/**
 * One instance's entry: read again with its project's root in `${PROJECT_DIR}`. A stdio server
 * also runs in that root and finds it in its environment, as under Claude Code itself.
 */
export function specForRoot(spec: ServerSpec, root: string | undefined, env: NodeJS.ProcessEnv): ServerSpec | BrokenServer {
	if (root === undefined) {
		return spec;
	}

	const instance = readEntry(spec.name, spec.raw, withProjectRoot(env, root));
	if ('error' in instance || instance.transport.kind !== 'stdio') {
		return instance;
	}

	const {transport} = instance;
	return {
		...instance,
		transport: {
			...transport,
			env: {PROJECT_DIR: root, CLAUDE_PROJECT_DIR: root, ...transport.env},
			cwd: transport.cwd ?? root,
		},
	};
}
