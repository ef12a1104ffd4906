import {cliCommand} from '../shared/cli-command.js';
import {existsSync} from 'node:fs';
import {basename, join} from 'node:path';
import {isRecord} from '../shared/is-record.js';
import {realpathOrSelf} from '../shared/real-path.js';
import {checkEntry} from './entry.js';
import {ConfigError, describeValue, formatJsonPath} from './errors.js';
import {objectMember, readJsonFile, type JsonFile} from './load.js';
import {describeEntry, namesByIdentity, serverIdentity} from './server-identity.js';

/** One server entry found in a file to import from. */
export type SourceEntry = {
	name: string;
	raw: unknown;
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

/** The project's .mcp.json if there is one, else the user's Claude Code config. */
export function defaultSourceFile(cwd: string, home: string): string {
	const project = join(cwd, '.mcp.json');
	return existsSync(project) ? project : join(home, '.claude.json');
}

/**
 * The entries to import from `file`, told apart by content. From ~/.claude.json: the servers
 * of the project at `cwd` first, then the user's, then (with `allProjects`) the other
 * projects', which is the order in which Claude Code lets a name override another.
 */
export function readImportSource(file: string, options: SourceOptions): ImportSource {
	const json = readJsonFile(file, false);
	const user = objectMember(json.data, 'mcpServers', file, '$.mcpServers');
	const {projects} = json.data;
	if (projects === undefined) {
		const label = basename(file) === 'claude_desktop_config.json' ? 'Claude Desktop config' : 'MCP servers file';
		return {...json, format: 'mcp-servers', label, entries: entriesOf(user, ['mcpServers']), otherProjectServers: 0};
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
		(isHere ? current : others).push(...entriesOf(servers, path, `project ${dir}`));
	}
	return {
		...json,
		format: 'claude-code',
		label: 'Claude Code config',
		entries: [...current, ...entriesOf(user, ['mcpServers'], 'user'), ...others],
		otherProjectServers: leftOut,
	};
}

function entriesOf(servers: Record<string, unknown>, path: string[], origin?: string): SourceEntry[] {
	return Object.entries(servers).map(([name, raw]) => ({name, raw, path, ...(origin === undefined ? {} : {origin})}));
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
				reason: `the name is taken by the server from ${earlier.origin ?? 'this file'} above`,
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
