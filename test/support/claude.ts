import {cpSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {REPO, type World} from './daemon.js';
import {MockAnthropic} from './mock-anthropic.js';

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

/** Runs the CLI; the returned promise is also the child, whose pid the tests read while it runs. */
export function claude(args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 90_000) {
	return execa(CLAUDE, args, {env, cwd, timeout: timeoutMs, reject: false, stdin: 'ignore', extendEnv: false});
}

/** A headless prompt: `claude -p` with stream-json output and the plugin's tools allowed. */
export function prompt(text: string, env: NodeJS.ProcessEnv, cwd: string) {
	return claude(['-p', text, '--output-format', 'stream-json', '--verbose', '--allowedTools', 'mcp__plugin_mcp-tooling_mcp'], env, cwd);
}

/**
 * A plugin user: a throwaway HOME where the plugin copy is installed from its marketplace as a
 * user would, a project directory to run sessions in, and the mock API they talk to.
 */
export class PluginUser {
	private constructor(
		readonly mock: MockAnthropic,
		readonly plugin: string,
		readonly home: string,
		readonly project: string,
		readonly env: NodeJS.ProcessEnv,
	) {}

	static async install(world: World): Promise<PluginUser> {
		const mock = await new MockAnthropic().start();
		const home = mkdtempSync(join(tmpdir(), 'mcp-tooling-home-'));
		const user = new PluginUser(
			mock,
			pluginCopy(),
			home,
			mkdtempSync(join(tmpdir(), 'mcp-tooling-project-')),
			claudeEnv(home, mock.url, world.env),
		);
		for (const args of [
			['plugin', 'marketplace', 'add', user.plugin],
			['plugin', 'install', 'mcp-tooling@mcp-tooling'],
		]) {
			const result = await claude(args, user.env, home);
			if (result.exitCode !== 0) {
				throw new Error(`claude ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
			}
		}

		return user;
	}

	async dispose(): Promise<void> {
		await this.mock.stop();
		for (const dir of [this.plugin, this.home, this.project]) {
			rmSync(dir, {recursive: true, force: true});
		}
	}
}
