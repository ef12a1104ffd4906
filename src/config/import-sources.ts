import {existsSync} from 'node:fs';
import {basename, join} from 'node:path';
import {describeValue} from './describe.js';
import {ConfigError} from './errors.js';
import {objectMember, readJsonFile, type JsonFile} from './edit-config.js';
import {isRecord} from './is-record.js';
import {formatJsonPath} from './json-path.js';
import {realpathOrSelf} from './real-path.js';

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
		throw new ConfigError(`expected an object of projects by directory, got ${describeValue(projects)}`, 'repair the file, or import from another one with --from', {
			file,
			jsonPath: '$.projects',
		});
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
