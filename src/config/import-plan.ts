import {checkEntry} from './check-entry.js';
import type {SourceEntry} from './import-sources.js';
import {formatJsonPath} from './json-path.js';
import {describeEntry, namesByIdentity, serverIdentity} from './normalize.js';

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
	const servedBy = new Map<string, {name: string; byThisImport: boolean}>([...namesByIdentity(existing)].map(([identity, name]) => [identity, {name, byThisImport: false}]));
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
				reason: `the name is taken by a different server in the shared config (${describeEntry(existing[name])}); remove that one first with \`mcp-tooling servers remove ${name}\`, or add this one under another name with \`mcp-tooling servers add\``,
			};
		}
		const earlier = added.get(name);
		if (earlier !== undefined) {
			return {action: 'skip', entry, reason: `the name is taken by the server from ${earlier.origin ?? 'this file'} above`};
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
