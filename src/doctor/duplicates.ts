import {existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {readSharedConfig} from '../config/edit-config.js';
import {readImportSource, type SourceEntry} from '../config/import-sources.js';
import {isRecord} from '../config/is-record.js';
import {describeEntry, namesByIdentity, serverIdentity} from '../config/normalize.js';
import {type CheckResult, ok, warn} from './check.js';
import {type ClaudeFiles, readJsonObject, sameDir} from './claude-files.js';

/** A server Claude Code runs by itself although the shared config serves it too. */
type Duplicate = {file: string; entry: SourceEntry; servedAs: string; fix: string};

/** How Claude Code's own CLI removes the entry, by where it sits. */
function removal(file: string, entry: SourceEntry, userConfig: string): string {
	if (file !== userConfig) {
		return `(cd ${JSON.stringify(dirname(file))} && claude mcp remove ${entry.name} --scope project)`;
	}

	if (entry.origin?.startsWith('project ')) {
		return `(cd ${JSON.stringify(entry.origin.slice('project '.length))} && claude mcp remove ${entry.name} --scope local)`;
	}

	return `claude mcp remove ${entry.name} --scope user`;
}

/** ~/.claude.json lists every project Claude Code was used in: each may have a .mcp.json. */
function projectDirs(userConfig: string, cwd: string): string[] {
	const read = readJsonObject(userConfig);
	const listed = 'data' in read && isRecord(read.data.projects) ? Object.keys(read.data.projects) : [];
	const dirs = [cwd];
	for (const dir of listed) {
		if (!dirs.some(known => sameDir(known, dir))) {
			dirs.push(dir);
		}
	}

	return dirs;
}

/**
 * Entries of Claude Code's own MCP config (a project's .mcp.json, the user's and each project's
 * servers in ~/.claude.json) that are the same server as one the shared config serves, compared
 * as `servers import` compares them. Claude would run such a server twice: once itself, once
 * through the daemon, with every tool listed twice.
 */
export function checkDuplicates(configFile: string, files: ClaudeFiles, cwd: string): CheckResult {
	const id = 'duplicates';
	const title = 'Servers configured twice';
	let shared: Record<string, unknown>;
	try {
		shared = readSharedConfig(configFile).servers;
	} catch {
		return ok(id, title, 'not checked: the config file cannot be read (see above)');
	}

	const servedBy = namesByIdentity(shared);

	const sources = [
		...projectDirs(files.userConfig, cwd)
			.map(dir => join(dir, '.mcp.json'))
			.filter(file => existsSync(file)),
		...(existsSync(files.userConfig) ? [files.userConfig] : []),
	];
	const duplicates: Duplicate[] = [];
	const unreadable: string[] = [];
	for (const file of sources) {
		let entries: SourceEntry[];
		try {
			entries = readImportSource(file, {cwd, allProjects: true}).entries;
		} catch (error) {
			unreadable.push(`${file}: ${(error as Error).message}`);
			continue;
		}

		for (const entry of entries) {
			const identity = serverIdentity(entry.raw);
			const servedAs = identity === undefined ? undefined : servedBy.get(identity);
			if (servedAs !== undefined) {
				duplicates.push({file, entry, servedAs, fix: removal(file, entry, files.userConfig)});
			}
		}
	}

	const notes = unreadable.map(line => `not read: ${line}`);
	if (duplicates.length === 0) {
		const checked = `${sources.length} Claude Code config file${sources.length === 1 ? '' : 's'}`;
		return {...ok(id, title, `no server of ${checked} is also in the shared config`), ...(notes.length > 0 ? {output: notes} : {})};
	}

	const lines = duplicates.map(
		duplicate =>
			`"${duplicate.entry.name}" in ${duplicate.file}${duplicate.entry.origin ? ` (${duplicate.entry.origin})` : ''} is the shared config's "${duplicate.servedAs}" (${describeEntry(duplicate.entry.raw)})`,
	);
	return warn(
		id,
		title,
		`${duplicates.length} server${duplicates.length === 1 ? '' : 's'} that Claude Code starts by itself ${duplicates.length === 1 ? 'is' : 'are'} also served by the daemon: ${duplicates.length === 1 ? 'it runs' : 'they run'} twice and ${duplicates.length === 1 ? 'its' : 'their'} tools show twice`,
		`remove the copies Claude Code starts by itself: ${duplicates.map(duplicate => `\`${duplicate.fix}\``).join('; ')}`,
		[...lines, ...notes],
	);
}
