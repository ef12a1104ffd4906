import {readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {isRecord} from '../config/is-record.js';
import {realpathOrSelf} from '../config/real-path.js';

/** Where Claude Code keeps the user's files: CLAUDE_CONFIG_DIR moves all of them. */
export type ClaudeFiles = {
	/** ~/.claude: settings.json, plugins/. */
	configDir: string;
	/** ~/.claude.json: user and per-project MCP servers, the list of projects. */
	userConfig: string;
};

export function claudeFiles(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): ClaudeFiles {
	const custom = env.CLAUDE_CONFIG_DIR;
	return custom ? {configDir: custom, userConfig: join(custom, '.claude.json')} : {configDir: join(home, '.claude'), userConfig: join(home, '.claude.json')};
}

export type JsonRead = {data: Record<string, unknown>} | {missing: true} | {error: string};

/** A JSON object file as Claude Code writes it; a file it could not parse is reported, not thrown. */
export function readJsonObject(file: string): JsonRead {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code === 'ENOENT' || code === 'ENOTDIR' ? {missing: true} : {error: `${file} cannot be read (${code})`};
	}

	try {
		const data: unknown = JSON.parse(text);
		return isRecord(data) ? {data} : {error: `${file} is not a JSON object`};
	} catch (error) {
		return {error: `${file} is not valid JSON (${(error as Error).message})`};
	}
}

export function sameDir(a: string, b: string): boolean {
	return a === b || realpathOrSelf(a) === realpathOrSelf(b);
}
