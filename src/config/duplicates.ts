import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {isRecord} from './is-record.js';
import {namesByIdentity, serverIdentity} from './normalize.js';

/** A server a project's `.mcp.json` declares that the shared daemon runs too. */
export type Duplicate = {
	/** The project's `.mcp.json`. */
	readonly file: string;
	/** Its name there, and in the shared config. */
	readonly name: string;
	readonly sharedAs: string;
	/** How to remove the project's copy, keeping the shared one. */
	readonly fix: string;
};

/** The `mcpServers` object of a JSON file, or nothing if it has none or cannot be read. */
function serversIn(file: string): Record<string, unknown> {
	try {
		const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
		return isRecord(value) && isRecord(value.mcpServers) ? value.mcpServers : {};
	} catch {
		return {};
	}
}

/**
 * Servers in `projectDir/.mcp.json` that the shared config also has (the same server as
 * `serverIdentity` defines it, whatever the names): Claude Code would start its own copy of
 * each beside the daemon's. Read as plain JSON, since hooks must start fast.
 */
export function projectDuplicates(projectDir: string, sharedConfigFile: string): Duplicate[] {
	const file = join(projectDir, '.mcp.json');
	const shared = namesByIdentity(serversIn(sharedConfigFile));

	return Object.entries(serversIn(file)).flatMap(([name, raw]) => {
		const sharedAs = shared.get(serverIdentity(raw) ?? '');
		return sharedAs === undefined ? [] : [{file, name, sharedAs, fix: `mcp-tooling servers import --from ${JSON.stringify(file)} --remove-from-source`}];
	});
}
