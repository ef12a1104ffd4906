import {cpSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {REPO} from './daemon.js';

export const CLAUDE = join(REPO, 'node_modules', '.bin', 'claude');

/** What a user gets from a clone: the files the package ships, without node_modules or sources. */
export function pluginCopy(): string {
	const dir = mkdtempSync(join(tmpdir(), 'mcp-tooling-plugin-'));
	const {files} = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as {files: string[]};
	for (const file of [...files, 'package.json', 'README.md']) {
		cpSync(join(REPO, file), join(dir, file), {recursive: true});
	}

	return dir;
}

/**
 * Environment for the real Claude Code CLI run offline: a throwaway HOME, the mock API, no
 * telemetry or updates, and MCP tools listed directly rather than behind tool search.
 */
export function claudeEnv(home: string, apiUrl: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	return {
		...extra,
		HOME: home,
		ANTHROPIC_BASE_URL: apiUrl,
		ANTHROPIC_API_KEY: 'sk-ant-test-key',
		DISABLE_TELEMETRY: '1',
		CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
		DISABLE_AUTOUPDATER: '1',
		DISABLE_ERROR_REPORTING: '1',
		ENABLE_TOOL_SEARCH: 'false',
	};
}

export async function claude(args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 90_000) {
	return execa(CLAUDE, args, {env, cwd, timeout: timeoutMs, reject: false, stdin: 'ignore', extendEnv: false});
}

/** A headless prompt: `claude -p` with stream-json output and the plugin's tools allowed. */
export async function prompt(text: string, env: NodeJS.ProcessEnv, cwd: string) {
	return claude(['-p', text, '--output-format', 'stream-json', '--verbose', '--allowedTools', 'mcp__plugin_mcp-tooling_mcp'], env, cwd);
}
