import {readFileSync} from 'node:fs';
import {describeValue} from './describe.js';
import {readEntry} from './entry.js';
import {loadEnv} from './project-env.js';
import {ConfigError} from './errors.js';
import {isRecord} from './is-record.js';
import {jsonErrorLocation, jsonErrorProblem} from './json-location.js';
import type {BrokenServer, ProxyConfig, ServerSpec} from './schema.js';
import {resolveSettings} from './settings.js';

export {ConfigError} from './errors.js';
export type {BrokenServer, ProxyConfig, RemoteServer, Scope, ServerSpec, StdioServer} from './schema.js';
export {writeConfigAtomic} from './write.js';

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
			{file, jsonPath: '$'},
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
			{file, jsonPath: '$.mcpServers'},
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
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		if (isNodeError(error) && error.code === 'ENOENT') {
			return {file, exists: false, servers: [], broken: [], settings: resolveSettings(undefined, env, file)};
		}
		throw new ConfigError(
			`cannot be read (${error instanceof Error ? error.message : String(error)})`,
			'make it a readable file, or point MCPPROXY_CONFIG_PATH at one',
			{file},
		);
	}
	return parseConfig(text, file, env);
}

// Editors on Windows may save a byte order mark, which JSON.parse rejects.
const BYTE_ORDER_MARK = '\uFEFF';

/** `JSON.parse`, but a syntax error becomes a ConfigError naming the file, line and column. */
export function parseJson(text: string, file: string): unknown {
	const json = text.startsWith(BYTE_ORDER_MARK) ? text.slice(BYTE_ORDER_MARK.length) : text;
	try {
		return JSON.parse(json);
	} catch (error) {
		if (!(error instanceof SyntaxError)) throw error;
		const location = jsonErrorLocation(json, error.message);
		throw new ConfigError(
			`not valid JSON: ${jsonErrorProblem(error.message)}`,
			'correct the JSON there (it allows no comments or trailing commas, and strings need double quotes)',
			{file, ...location},
		);
	}
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
	return error instanceof Error && 'code' in error;
}
