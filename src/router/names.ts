import {createHash} from 'node:crypto';

/**
 * Claude Code names a proxied tool `mcp__plugin_mcp-tooling_mcp__<tool>` and refuses names over 64
 * characters, so the part the proxy controls gets what the 29-character prefix leaves.
 */
const CLAUDE_TOOL_PREFIX = 'mcp__plugin_mcp-tooling_mcp__';
const MAX_EXPOSED_NAME = 64 - CLAUDE_TOOL_PREFIX.length;

const SEPARATOR = '__';

/** What a name on the session side stands for upstream. */
export type Origin = {readonly server: string; readonly name: string};

export type NameEntry = Origin & {readonly namespace: boolean};

function shortHash(text: string, length: number): string {
	return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Model APIs take tool names of `[A-Za-z0-9_-]` only; MCP also allows `.`. */
function sanitize(name: string): string {
	return name.replaceAll(/[^A-Za-z0-9_-]/g, '_');
}

function withHash(base: string, origin: Origin, hashLength: number, max: number): string {
	const hash = shortHash(`${origin.server}\0${origin.name}`, hashLength);
	return `${base.slice(0, max - hash.length - 1)}-${hash}`;
}

/** Shortest server prefix still worth showing when a long tool name needs the room. */
const MIN_SERVER_PREFIX = 3;

/**
 * `server__tool` reads well to a model and keeps the server visible. When that is too long the
 * server part is shortened first, since the tool's own name says what it does; a tool name too
 * long even then is cut and given a hash of the original pair, unique and stable across restarts.
 */
function preferredName(entry: NameEntry, max: number): string {
	if (!entry.namespace) {
		return entry.name;
	}

	const server = sanitize(entry.server);
	const tool = sanitize(entry.name);
	const full = `${server}${SEPARATOR}${tool}`;
	if (full !== `${entry.server}${SEPARATOR}${entry.name}`) {
		// A sanitized name could equal another server's real name, so any change earns a hash.
		return withHash(full, entry, 4, max);
	}

	if (full.length <= max) {
		return full;
	}

	const room = max - SEPARATOR.length - tool.length;
	return room >= MIN_SERVER_PREFIX ? `${server.slice(0, room)}${SEPARATOR}${tool}` : withHash(full, entry, 4, max);
}

export type NameCollision = {readonly name: string; readonly servers: readonly string[]};

/**
 * Exposed names for every entry, unique and independent of the order servers come up in.
 * Names of non-namespaced servers are kept exactly; two of them claiming one name is a
 * collision the caller must refuse, reported rather than thrown so the caller names both.
 */
export function assignNames(
	entries: readonly NameEntry[],
	max = MAX_EXPOSED_NAME,
): {names: Map<string, Origin>; collisions: NameCollision[]} {
	const groups = new Map<string, NameEntry[]>();
	for (const entry of entries) {
		const name = preferredName(entry, max);
		groups.set(name, [...(groups.get(name) ?? []), entry]);
	}

	const names = new Map<string, Origin>();
	const collisions: NameCollision[] = [];
	const claim = (name: string, entry: NameEntry) => names.set(name, {server: entry.server, name: entry.name});
	for (const [name, group] of groups) {
		if (group.length === 1) {
			claim(name, group[0]!);
			continue;
		}

		const fixed = group.filter(entry => !entry.namespace);
		if (fixed.length > 1) {
			collisions.push({name, servers: fixed.map(entry => entry.server)});
		}

		if (fixed[0]) {
			claim(name, fixed[0]);
		}

		// Two servers wanting one name both give way, so neither depends on which came up first.
		for (const entry of group.filter(entry => entry.namespace)) {
			const full = `${sanitize(entry.server)}${SEPARATOR}${sanitize(entry.name)}`;
			let hashLength = 4;
			let unique = withHash(full, entry, hashLength, max);
			while (names.has(unique) || groups.has(unique)) {
				hashLength += 4;
				unique = withHash(full, entry, hashLength, max);
			}

			claim(unique, entry);
		}
	}

	return {names, collisions};
}

/**
 * Resource URIs are namespaced as `<alias>+<uri>`: still a URI (a scheme may contain `+`), still
 * readable, and reversible without a table, so URIs a client builds from templates route too.
 */
export function uriAlias(server: string): string {
	const alias = server.toLowerCase().replaceAll(/[^a-z0-9.-]/g, '-');
	const scheme = /^[a-z]/.test(alias) ? alias : `s${alias}`;
	return scheme === server ? scheme : `${scheme}-${shortHash(server, 4)}`;
}

export function namespaceUri(server: string, uri: string): string {
	return `${uriAlias(server)}+${uri}`;
}

/** Splits `<alias>+<uri>`; the caller checks that the alias belongs to a server. */
export function splitNamespacedUri(uri: string): {alias: string; uri: string} | undefined {
	const match = /^([a-z][a-z0-9.-]*)\+(.+)$/.exec(uri);
	return match ? {alias: match[1]!, uri: match[2]!} : undefined;
}
