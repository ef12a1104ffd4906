import {closeSync, fchmodSync, fsyncSync, openSync, statSync, writeSync} from 'node:fs';
import {writeFileAtomic} from '../shared/atomic-file.js';
import {isRecord} from '../shared/is-record.js';
import {readTextIfExists} from '../shared/text-file.js';
import type {ImportSource, SourceEntry} from './import.js';
import {checkEdit, removeMember, setMember} from './json-edit.js';
import {objectMember, readJsonFile, type JsonFile} from './load.js';

/** The shared proxy config, read for editing its `mcpServers`. */
export type SharedConfig = JsonFile & {servers: Record<string, unknown>};

export function readSharedConfig(file: string): SharedConfig {
	const config = readJsonFile(file, true);
	return {...config, servers: objectMember(config.data, 'mcpServers', file, '$.mcpServers')};
}

/**
 * Writes `data` as JSON (2-space indent, trailing newline), atomically; a new config is
 * readable by its owner only, as it may hold tokens (env, headers).
 */
export function writeConfigAtomic(file: string, data: unknown): void {
	writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`, {preserve: true});
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
	const original = {file: config.file, text: config.text};
	let text = original.text;
	for (const [name, entry] of Object.entries(changes.set ?? {})) text = setMember(text, ['mcpServers'], name, entry);
	for (const name of changes.remove ?? []) text = removeMember(text, ['mcpServers'], name);
	saveEdited(original, text, {...config.data, mcpServers: servers});
}

/**
 * Takes `entries` out of the file they were imported from, keeping the rest of it byte for
 * byte, after copying the file to `<file>.bak-<time>`. Returns the copy's path.
 */
export function removeFromSource(source: ImportSource, entries: readonly SourceEntry[], now = new Date()): string {
	if (source.text === undefined) throw new Error(`${source.file} was not read`);
	const original = {file: source.file, text: source.text};
	let text = original.text;
	const expected = structuredClone(source.data);
	for (const {path, name} of entries) {
		text = removeMember(text, path, name);
		const holder = path.reduce<unknown>((value, key) => (isRecord(value) ? value[key] : undefined), expected);
		if (isRecord(holder)) delete holder[name];
	}
	// No colons: scp and Windows shares take them for something else.
	const backup = `${source.file}.bak-${now.toISOString().replaceAll(':', '-')}`;
	saveEdited(original, text, expected, backup);
	return backup;
}

/**
 * Writes `edited` over `json.file` once it is known to parse to `expected`, and only if
 * the file still holds the text it was read with: Claude Code rewrites ~/.claude.json
 * while it runs, and its changes must not be lost. With `backup`, the file is first
 * copied there (which must not exist yet).
 */
function saveEdited(json: {file: string; text: string}, edited: string, expected: unknown, backup?: string): void {
	checkEdit(edited, expected, json.file);
	if (readTextIfExists(json.file) !== json.text) {
		throw new Error(`${json.file} changed while it was being edited, so nothing was written to it; run the command again`);
	}
	if (backup !== undefined) copyPrivately(json.file, json.text, backup);
	writeFileAtomic(json.file, edited, {preserve: true});
}

/**
 * Copies `from`, known to hold `text`, to the new file `to` with the same permissions, never
 * more open meanwhile: ~/.claude.json may hold tokens, and a plain copy starts out as the umask allows.
 */
function copyPrivately(from: string, text: string, to: string): void {
	const fd = openSync(to, 'wx', 0o600);
	try {
		writeSync(fd, text);
		fchmodSync(fd, statSync(from).mode & 0o7777);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
