import {basename, dirname, join} from 'node:path';
import {isRecord} from '../shared/is-record.js';
import {readJsonObject} from '../shared/json-file.js';
import type {SourceEntry} from './import.js';
import {namesByIdentity, serverIdentity} from './server-identity.js';

/**
 * A server Claude Code starts by itself that the shared config serves too (the same server as
 * `serverIdentity` defines it, whatever the names): it runs twice, and its tools show twice.
 */
export type Duplicate = {
	/** The Claude Code config that declares it: a project's `.mcp.json`, or ~/.claude.json. */
	readonly file: string;
	/** Its name there, and in the shared config. */
	readonly name: string;
	readonly sharedAs: string;
	/** Which part of ~/.claude.json it is in: 'user' or 'project DIR'; unset for a `.mcp.json`. */
	readonly origin?: string;
	/** How to remove Claude Code's copy, keeping the shared one. */
	readonly fix: string;
};

/**
 * Claude Code's own command for removing the entry, by where it sits. Not `servers import
 * --remove-from-source`: nothing is to be imported, and Claude Code's CLI owns these files (it
 * rewrites ~/.claude.json while it runs) and removes just this entry, from any of its scopes.
 */
function removal(file: string, entry: SourceEntry): string {
	if (entry.origin?.startsWith('project ')) {
		return `(cd ${JSON.stringify(entry.origin.slice('project '.length))} && claude mcp remove ${entry.name} --scope local)`;
	}
	if (entry.origin === undefined && basename(file) === '.mcp.json') {
		return `(cd ${JSON.stringify(dirname(file))} && claude mcp remove ${entry.name} --scope project)`;
	}
	return `claude mcp remove ${entry.name} --scope user`;
}

/** The entries of `file` (read from a Claude Code config) that `shared` (the shared config's `mcpServers`) serves too. */
export function findDuplicates(file: string, entries: readonly SourceEntry[], shared: Record<string, unknown>): Duplicate[] {
	const servedBy = namesByIdentity(shared);
	return entries.flatMap(entry => {
		const identity = serverIdentity(entry.raw);
		const sharedAs = identity === undefined ? undefined : servedBy.get(identity);
		if (sharedAs === undefined) return [];
		return [
			{
				file,
				name: entry.name,
				sharedAs,
				...(entry.origin === undefined ? {} : {origin: entry.origin}),
				fix: removal(file, entry),
			},
		];
	});
}

/** The `mcpServers` object of a JSON file, or nothing if it has none or cannot be read. */
function serversIn(file: string): Record<string, unknown> {
	const read = readJsonObject(file);
	return 'data' in read && isRecord(read.data.mcpServers) ? read.data.mcpServers : {};
}

/**
 * The duplicates `projectDir/.mcp.json` declares. Read as plain JSON, without validating the
 * entries, since hooks must start fast.
 */
export function projectDuplicates(projectDir: string, sharedConfigFile: string): Duplicate[] {
	const file = join(projectDir, '.mcp.json');
	const entries = Object.entries(serversIn(file)).map(([name, raw]) => ({name, raw, file, scope: 'file' as const, path: ['mcpServers']}));
	return entries.length === 0 ? [] : findDuplicates(file, entries, serversIn(sharedConfigFile));
}
