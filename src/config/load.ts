import {isRecord} from '../shared/is-record.js';
import {parseJsonText} from '../shared/json-file.js';
import {readTextIfExists} from '../shared/text-file.js';
import {readEntry, loadEnv} from './entry.js';
import {ConfigError, describeValue} from './errors.js';
import type {BrokenServer, ProxyConfig, ServerSpec} from './schema.js';
import {resolveSettings} from './settings.js';

export {ConfigError} from './errors.js';
export type {BrokenServer, ProxyConfig, RemoteServer, Scope, ServerSpec, StdioServer} from './schema.js';

/**
 * Reads the proxy config from text. Problems with the file as a whole (syntax, wrong
 * top-level types, bad settings) throw a ConfigError; a bad server entry only lands in
 * `broken`, so one typo does not take the other servers down.
 */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): ProxyConfig {
	const data = parseJson(text, file);
	if (!isRecord(data)) {
		throw new ConfigError(
			`the top level is ${describeValue(data)}, not an object`,
			'write the config as {"mcpServers": {"NAME": {"command": "…"}}}',
			{
				file,
				jsonPath: '$',
			},
		);
	}
	const settings = data.settings;
	if (settings !== undefined && !isRecord(settings)) {
		throw new ConfigError(`expected an object, got ${describeValue(settings)}`, 'write settings as an object, e.g. {"topK": 10}', {
			file,
			jsonPath: '$.settings',
		});
	}
	const entries = data.mcpServers ?? {};
	if (!isRecord(entries)) {
		throw new ConfigError(
			`expected an object of servers by name, got ${describeValue(entries)}`,
			'write it as {"NAME": {"command": "…"}, …}',
			{
				file,
				jsonPath: '$.mcpServers',
			},
		);
	}
	const servers: ServerSpec[] = [];
	const broken: BrokenServer[] = [];
	for (const [name, raw] of Object.entries(entries)) {
		const result = readEntry(name, raw, loadEnv(raw, env));
		if ('error' in result) broken.push(result);
		else servers.push(result);
	}
	return {file, exists: true, servers, broken, settings: resolveSettings(settings, env, file)};
}

/** Reads the proxy config file; a missing file is an empty config, with settings from the environment. */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): ProxyConfig {
	const text = readConfigText(file, 'make it a readable file, or point MCPPROXY_CONFIG_PATH at one');
	if (text === undefined) return {file, exists: false, servers: [], broken: [], settings: resolveSettings(undefined, env, file)};
	return parseConfig(text, file, env);
}

/** The text of a config file (size-limited), undefined if there is none; a file that cannot be read is a ConfigError. */
export function readConfigText(file: string, fix: string): string | undefined {
	try {
		return readTextIfExists(file);
	} catch (error) {
		throw new ConfigError(`cannot be read (${error instanceof Error ? error.message : String(error)})`, fix, {file});
	}
}

/** The value of JSON text; a syntax error becomes a ConfigError naming the file, line and column. */
export function parseJson(text: string, file: string): unknown {
	const parsed = parseJsonText(text);
	if (parsed.ok) return parsed.value;
	throw new ConfigError(
		`not valid JSON: ${parsed.problem}`,
		'correct the JSON there (it allows no comments or trailing commas, and strings need double quotes)',
		{file, ...(parsed.line === undefined ? {} : {line: parsed.line, column: parsed.column})},
	);
}

/** A JSON file read for editing: its text, to edit in place, and what it parses to. */
export type JsonFile = {
	file: string;
	/** Undefined when the file does not exist yet. */
	text: string | undefined;
	data: Record<string, unknown>;
};

/**
 * Reads a JSON file that is going to be edited. Text that is not JSON, or not an object,
 * is refused with where and why, so such a file is never overwritten.
 */
export function readJsonFile(file: string, missingOk: boolean): JsonFile {
	const text = readConfigText(file, 'make it a readable file');
	if (text === undefined) {
		if (missingOk) return {file, text: undefined, data: {}};
		throw new ConfigError('not found', 'check the path', {file});
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
