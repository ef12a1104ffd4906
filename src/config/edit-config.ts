import {closeSync, fchmodSync, fsyncSync, openSync, readFileSync, statSync, writeSync} from 'node:fs';
import {describeValue} from './describe.js';
import {ConfigError} from './errors.js';
import {isRecord} from './is-record.js';
import {checkEdit, removeMember, setMember} from './json-edit.js';
import {parseJson} from './load.js';
import {writeConfigAtomic, writeTextAtomic} from './write.js';

/** A JSON file read for editing: its text, to edit in place, and what it parses to. */
export type JsonFile = {
	file: string;
	/** Undefined when the file does not exist yet. */
	text: string | undefined;
	data: Record<string, unknown>;
};

/** The shared proxy config, read for editing its `mcpServers`. */
export type SharedConfig = JsonFile & {servers: Record<string, unknown>};

/**
 * Reads a JSON file that is going to be edited. Text that is not JSON, or not an object,
 * is refused with where and why, so such a file is never overwritten.
 */
export function readJsonFile(file: string, missingOk: boolean): JsonFile {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
		if (missing && missingOk) return {file, text: undefined, data: {}};
		throw new ConfigError(
			missing ? 'not found' : `cannot be read (${error instanceof Error ? error.message : String(error)})`,
			missing ? 'check the path' : 'make it a readable file',
			{file},
		);
	}
	const data = parseJson(text, file);
	if (!isRecord(data)) {
		throw new ConfigError(`the top level is ${describeValue(data)}, not an object`, 'write it as {"mcpServers": {…}}', {
			file,
			jsonPath: '$',
		});
	}
	return {file, text, data};
}

/** The object at `data[key]`, {} if absent; anything else is refused, naming the path. */
export function objectMember(data: Record<string, unknown>, key: string, file: string, jsonPath: string): Record<string, unknown> {
	const value = data[key];
	if (value === undefined) return {};
	if (isRecord(value)) return value;
	throw new ConfigError(`expected an object of servers by name, got ${describeValue(value)}`, 'write it as {"NAME": {"command": "…"}, …}', {
		file,
		jsonPath,
	});
}

export function readSharedConfig(file: string): SharedConfig {
	const config = readJsonFile(file, true);
	return {...config, servers: objectMember(config.data, 'mcpServers', file, '$.mcpServers')};
}

export type ServerChanges = {
	/** Entries to add, or to replace in place when the name exists. */
	set?: Record<string, unknown>;
	remove?: readonly string[];
};

/**
 * Applies `changes` to the shared config's `mcpServers` by editing its text, so every other
 * key, entry and blank of the file stays as it was, and writes it atomically. A config
 * that does not exist yet is created.
 */
export function writeServers(config: SharedConfig, changes: ServerChanges): void {
	if (Object.keys(changes.set ?? {}).length === 0 && (changes.remove ?? []).length === 0) return;
	const servers = {...config.servers, ...changes.set};
	for (const name of changes.remove ?? []) delete servers[name];
	if (config.text === undefined) {
		writeConfigAtomic(config.file, {mcpServers: servers});
		return;
	}
	let text = config.text;
	for (const [name, entry] of Object.entries(changes.set ?? {})) text = setMember(text, ['mcpServers'], name, entry);
	for (const name of changes.remove ?? []) text = removeMember(text, ['mcpServers'], name);
	saveEdited(config, text, {...config.data, mcpServers: servers});
}

/**
 * Writes `edited` over `json.file` once it is known to parse to `expected`, and only if
 * the file still holds the text it was read with: Claude Code rewrites ~/.claude.json
 * while it runs, and its changes must not be lost. With `backup`, the file is first
 * copied there (which must not exist yet).
 */
export function saveEdited(json: JsonFile, edited: string, expected: unknown, backup?: string): void {
	checkEdit(edited, expected, json.file);
	if (readFileSync(json.file, 'utf8') !== json.text) {
		throw new Error(`${json.file} changed while it was being edited, so nothing was written to it; run the command again`);
	}
	if (backup !== undefined) copyPrivately(json.file, backup);
	writeTextAtomic(json.file, edited);
}

/**
 * Copies `from` to the new file `to` with the same permissions, never more open meanwhile:
 * ~/.claude.json may hold tokens, and a plain copy starts out as the umask allows.
 */
function copyPrivately(from: string, to: string): void {
	const bytes = readFileSync(from);
	const fd = openSync(to, 'wx', 0o600);
	try {
		writeSync(fd, bytes);
		fchmodSync(fd, statSync(from).mode & 0o7777);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
