import {CLI_NAME, cliCommand, cliPath} from '../shared/cli-command.js';
import {existsSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';
import {isRecord} from '../shared/is-record.js';
import {realpathOrSelf, samePath} from '../shared/real-path.js';
import type {ClaudeFiles} from './claude-files.js';
import {checkEntry} from './entry.js';
import {ConfigError, describeValue, formatJsonPath} from './errors.js';
import {objectMember, readJsonFile, type JsonFile} from './load.js';
import {describeEntry, namesByIdentity, serverIdentity} from './server-identity.js';

/**
 * Where an entry sits, in the order Claude Code lets a name in one override another: the current
 * project's part of ~/.claude.json (local scope), a file of just servers (a project's .mcp.json),
 * the user's servers, then other projects' servers.
 */
export type SourceScope = 'local' | 'file' | 'user' | 'other-project';
const PRECEDENCE: readonly SourceScope[] = ['local', 'file', 'user', 'other-project'];

/** One server entry found in a file to import from. */
export type SourceEntry = {
	name: string;
	raw: unknown;
	/** The file it is in, which --remove-from-source edits. */
	file: string;
	scope: SourceScope;
	/** The keys leading to the object that holds the entry: ['mcpServers'] or ['projects', DIR, 'mcpServers']. */
	path: string[];
	/** Which part of ~/.claude.json it came from: 'user' or 'project DIR'; unset for other files. */
	origin?: string;
};

export type ImportSource = JsonFile & {
	/** ~/.claude.json (it has `projects`), or a file of just `mcpServers` (.mcp.json, Claude Desktop's). */
	format: 'claude-code' | 'mcp-servers';
	/** What the file is, for people. */
	label: string;
	entries: SourceEntry[];
	/** Servers of other projects, left out without `allProjects`. */
	otherProjectServers: number;
};

export type SourceOptions = {cwd: string; allProjects: boolean};

/** The files Claude Code reads its own servers from in `cwd`, those that exist: the project's .mcp.json and ~/.claude.json. */
export function claudeCodeSources(cwd: string, files: ClaudeFiles): string[] {
	return [join(cwd, '.mcp.json'), files.userConfig].filter(file => existsSync(file));
}

/** The entries of all `sources` together, in the order of `SourceScope` (stable within one). */
export function byPrecedence(sources: readonly ImportSource[]): SourceEntry[] {
	return sources.flatMap(source => source.entries).sort((a, b) => PRECEDENCE.indexOf(a.scope) - PRECEDENCE.indexOf(b.scope));
}

/** An entry that runs mcp-tooling's own bridge: served by the daemon, it would have the daemon serve itself. */
export function isOwnBridge(raw: unknown): boolean {
	if (!isRecord(raw)) return false;
	const words = [raw.command, ...(Array.isArray(raw.args) ? raw.args : [])].filter(word => typeof word === 'string');
	const ours = join(dirname(cliPath()), 'bridge.js');
	return (
		words.some(word => /mcp-tooling.*[/\\]dist[/\\]bridge\.js$/.test(word) || (word.endsWith('bridge.js') && samePath(word, ours))) ||
		(words[0] === CLI_NAME && words[1] === 'bridge')
	);
}

/**
 * The entries to import from `file`, told apart by content. From ~/.claude.json: the servers
 * of the project at `cwd` first, then the user's, then (with `allProjects`) the other
 * projects', which is the order in which Claude Code lets a name override another.
 */
export function readImportSource(file: string, options: SourceOptions): ImportSource {
	const json = readJsonFile(file, false);
	const user = objectMember(json.data, 'mcpServers', file, '$.mcpServers');
	// ~/.claude.json may hold no projects yet (a new user's, before Claude Code has run in one).
	const {projects = basename(file) === '.claude.json' ? {} : undefined} = json.data;
	if (projects === undefined) {
		const label = basename(file) === 'claude_desktop_config.json' ? 'Claude Desktop config' : 'MCP servers file';
		return {...json, format: 'mcp-servers', label, entries: entriesOf(file, user, ['mcpServers'], 'file'), otherProjectServers: 0};
	}
	if (!isRecord(projects)) {
		throw new ConfigError(
			`expected an object of projects by directory, got ${describeValue(projects)}`,
			'repair the file, or import from another one with --from',
			{
				file,
				jsonPath: '$.projects',
			},
		);
	}
	const here = new Set([options.cwd, realpathOrSelf(options.cwd)]);
	const current: SourceEntry[] = [];
	const others: SourceEntry[] = [];
	let leftOut = 0;
	for (const [dir, project] of Object.entries(projects)) {
		const isHere = here.has(dir);
		// Projects that are not imported are only counted, so their oddities do not stop the import.
		if (!isHere && !options.allProjects) {
			if (isRecord(project) && isRecord(project.mcpServers)) leftOut += Object.keys(project.mcpServers).length;
			continue;
		}
		if (!isRecord(project)) continue;
		const path = ['projects', dir, 'mcpServers'];
		const servers = objectMember(project, 'mcpServers', file, formatJsonPath(path));
		(isHere ? current : others).push(...entriesOf(file, servers, path, isHere ? 'local' : 'other-project', `project ${dir}`));
	}
	return {
		...json,
		format: 'claude-code',
		label: 'Claude Code config',
		entries: [...current, ...entriesOf(file, user, ['mcpServers'], 'user', 'user'), ...others],
		otherProjectServers: leftOut,
	};
}

function entriesOf(file: string, servers: Record<string, unknown>, path: string[], scope: SourceScope, origin?: string): SourceEntry[] {
	return Object.entries(servers).map(([name, raw]) => ({name, raw, file, scope, path, ...(origin === undefined ? {} : {origin})}));
}

export type Decision =
	| {action: 'add'; entry: SourceEntry; unsetVariables: string[]}
	/** The same server (see `serverIdentity`) is in the config already, or added by this import. */
	| {action: 'served'; entry: SourceEntry; servedAs: string; byThisImport: boolean}
	| {action: 'skip'; entry: SourceEntry; reason: string};

/**
 * What importing `entries` into a config holding `existing` does with each, in order: an
 * entry whose server is already served is not added again, whatever its name; a name
 * already taken by another server keeps that server (the later entry is skipped); an
 * entry the daemon could not read is skipped with the reason.
 */
export function planImport(entries: readonly SourceEntry[], existing: Record<string, unknown>, env: NodeJS.ProcessEnv): Decision[] {
	const servedBy = new Map<string, {name: string; byThisImport: boolean}>(
		[...namesByIdentity(existing)].map(([identity, name]) => [identity, {name, byThisImport: false}]),
	);
	const added = new Map<string, SourceEntry>();

	return entries.map((entry): Decision => {
		const {name} = entry;
		if (isOwnBridge(entry.raw))
			return {action: 'skip', entry, reason: "it is mcp-tooling's own bridge, which the daemon cannot serve to itself"};
		const identity = serverIdentity(entry.raw);
		const served = identity === undefined ? undefined : servedBy.get(identity);
		if (served !== undefined) return {action: 'served', entry, servedAs: served.name, byThisImport: served.byThisImport};
		if (Object.hasOwn(existing, name)) {
			return {
				action: 'skip',
				entry,
				reason:
					`the name is taken by a different server in the shared config (${describeEntry(existing[name])}); ` +
					`remove that one first with \`${cliCommand(`servers remove ${name}`)}\`, ` +
					`or add this one under another name with \`${cliCommand('servers add')}\``,
			};
		}
		const earlier = added.get(name);
		if (earlier !== undefined) {
			return {
				action: 'skip',
				entry,
				reason: `the name is taken by the server from ${earlier.origin ?? earlier.file} above`,
			};
		}
		const check = checkEntry(name, entry.raw, env);
		if (!check.ok) return {action: 'skip', entry, reason: `not valid: ${locateIn(check.error, entry)}`};
		added.set(name, entry);
		if (identity !== undefined) servedBy.set(identity, {name, byThisImport: true});
		return {action: 'add', entry, unsetVariables: check.unsetVariables};
	});
}

/** The daemon's errors name `$.mcpServers.NAME…`; in the source the entry may sit elsewhere. */
function locateIn(error: string, entry: SourceEntry): string {
	return error.replaceAll(formatJsonPath(['mcpServers', entry.name]), formatJsonPath([...entry.path, entry.name]));
}
