import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {findDuplicates, type Duplicate} from '../config/duplicates.js';
import {readSharedConfig} from '../config/edit-config.js';
import {readImportSource} from '../config/import.js';
import {describeEntry} from '../config/server-identity.js';
import {isRecord} from '../shared/is-record.js';
import {readJsonObject} from '../shared/json-file.js';
import {plural} from '../shared/plural.js';
import {samePath} from '../shared/real-path.js';
import {type CheckResult, ok, warn} from './check.js';
import type {ClaudeFiles} from '../config/claude-files.js';

/** ~/.claude.json lists every project Claude Code was used in: each may have a .mcp.json. */
function projectDirs(userConfig: string, cwd: string): string[] {
	const read = readJsonObject(userConfig);
	const listed = 'data' in read && isRecord(read.data.projects) ? Object.keys(read.data.projects) : [];
	const dirs = [cwd];
	for (const dir of listed) {
		if (!dirs.some(known => samePath(known, dir))) {
			dirs.push(dir);
		}
	}

	return dirs;
}

/**
 * Duplicates (see `findDuplicates`) in all of Claude Code's own MCP config: a project's
 * .mcp.json, the user's and each project's servers in ~/.claude.json, read as `servers import`
 * reads them.
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

	const sources = [
		...projectDirs(files.userConfig, cwd)
			.map(dir => join(dir, '.mcp.json'))
			.filter(file => existsSync(file)),
		...(existsSync(files.userConfig) ? [files.userConfig] : []),
	];
	const duplicates: Duplicate[] = [];
	const unreadable: string[] = [];
	for (const file of sources) {
		try {
			duplicates.push(...findDuplicates(file, readImportSource(file, {cwd, allProjects: true}).entries, shared));
		} catch (error) {
			unreadable.push(`${file}: ${(error as Error).message}`);
		}
	}

	const notes = unreadable.map(line => `not read: ${line}`);
	if (duplicates.length === 0) {
		const checked = plural(sources.length, 'Claude Code config file');
		return {
			...ok(id, title, `no server of ${checked} is also in the shared config`),
			...(notes.length > 0 ? {output: notes} : {}),
		};
	}

	const lines = duplicates.map(
		duplicate =>
			`"${duplicate.name}" in ${duplicate.file}${duplicate.origin ? ` (${duplicate.origin})` : ''} ` +
			`is the shared config's "${duplicate.sharedAs}" (${describeEntry(shared[duplicate.sharedAs])})`,
	);
	const one = duplicates.length === 1;
	return warn(
		id,
		title,
		`${plural(duplicates.length, 'server')} that Claude Code starts by itself ${one ? 'is' : 'are'} also served by the daemon: ` +
			`${one ? 'it runs' : 'they run'} twice and ${one ? 'its' : 'their'} tools show twice`,
		`remove the copies Claude Code starts by itself: ${duplicates.map(duplicate => `\`${duplicate.fix}\``).join('; ')}`,
		[...lines, ...notes],
	);
}
