import type {z} from 'zod';
import {describeValue} from './describe.js';
import {expandString, UnsetVariableError} from './expand.js';
import {isRecord} from './is-record.js';
import {formatJsonPath} from './json-path.js';
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
	if (!parsed.success) return broken(parsed.error.issues.flatMap((issue) => issueSentences(issue, at)));

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
		...(entry.description === undefined ? {} : {description: entry.description}),
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
		return issue.keys.map((key) => sentence(at(...issue.path, key), describeIssue(issue), issue.message));
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
