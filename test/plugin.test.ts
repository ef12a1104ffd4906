import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {claude, PluginUser, prompt} from './support/claude.js';
import {eventually, isAlive, REPO, servers, World} from './support/daemon.js';
import {answersTool, type MockAnthropic, shownToModel, toolResults} from './support/mock-anthropic.js';

const ECHO = 'mcp__plugin_mcp-tooling_mcp__everything__echo';
const LINGER_S = 2;

let world: World;
let mock: MockAnthropic;
let user: PluginUser;
let home: string;
let project: string;
let env: NodeJS.ProcessEnv;
/** When the model last answered: before the session that asked it ended. */
let lastAnswered = 0;

/** The model calls the proxied echo tool once per conversation, then answers with its result. */
function callEcho(message: string) {
	return (request: Parameters<MockAnthropic['script']>[0]) => {
		if (!answersTool(request) && request.tools?.some(tool => tool.name === ECHO)) {
			return {toolUse: {name: ECHO, input: {message}}};
		}

		lastAnswered = Date.now();
		return {text: 'done'};
	};
}

function daemonLog(): string {
	return readFileSync(world.logFile, 'utf8');
}

async function daemonGone(): Promise<void> {
	const state = world.state();
	if (state) {
		await eventually(() => !isAlive(state.pid), 15_000, 'the daemon to stop');
	}
}

beforeAll(async () => {
	world = new World({MCPPROXY_LINGER: String(LINGER_S)});
	world.writeConfig({mcpServers: {everything: servers.everything()}});
	user = await PluginUser.install(world);
	({mock, home, project, env} = user);
}, 120_000);

afterAll(async () => {
	await user.dispose();
	await world.dispose();
});

describe('the plugin as Claude Code loads it', () => {
	it('passes `claude plugin validate --strict`, as a plugin and as a marketplace', async () => {
		for (const target of [REPO, join(REPO, '.claude-plugin', 'plugin.json'), join(REPO, '.claude-plugin', 'marketplace.json')]) {
			const result = await claude(['plugin', 'validate', target, '--strict'], env, home);
			expect(result.exitCode, result.stdout + result.stderr).toBe(0);
		}
	});

	it('brings the daemon up at SessionStart and proxies the model’s tool call to the real server', async () => {
		mock.script = callEcho('hello through the bridge');
		const run = await prompt('Echo something, please.', env, project);
		expect(run.exitCode, run.stderr).toBe(0);
		expect(toolResults(mock.requests)).toContainEqual(expect.stringContaining('Echo: hello through the bridge'));
		expect(run.stdout).toContain('shared MCP proxy daemon');
		expect(daemonLog()).toMatch(/server ready server=everything/);
	});

	it('stops the daemon within the linger period once the last session has ended', async () => {
		await daemonGone();
		// Counted from before the session ended: Claude's exit, the linger, a check each second and
		// the shutdown, with room for a loaded machine.
		expect(Date.now() - lastAnswered).toBeLessThan(LINGER_S * 1000 + 10_000);
		expect(world.state()).toBeUndefined();
		expect(daemonLog()).toMatch(new RegExp(`stopping reason="no sessions for ${LINGER_S} s"`));
	});

	it('lets two sessions started at once share one daemon and one upstream process', async () => {
		mock.requests.length = 0;
		const logStart = daemonLog().length;
		mock.script = callEcho('shared');
		const runs = await Promise.all([prompt('First session.', env, project), prompt('Second session.', env, project)]);
		for (const run of runs) {
			expect(run.exitCode, run.stderr).toBe(0);
		}

		expect(toolResults(mock.requests).filter(text => text.includes('Echo: shared'))).toHaveLength(2);
		const log = daemonLog().slice(logStart);
		expect(log.match(/INFO {2}daemon listening/g)).toHaveLength(1);
		expect(log.match(/server ready server=everything/g)).toHaveLength(1);
		expect(log.match(/session opened/g)).toHaveLength(2);
		await daemonGone();
	});

	it('expands `/mcp-tooling:mcp-proxy-daemoning status` typed headlessly to the live status', async () => {
		mock.requests.length = 0;
		mock.script = () => ({text: 'shown'});
		const run = await claude(
			['-p', '/mcp-tooling:mcp-proxy-daemoning status', '--output-format', 'stream-json', '--verbose'],
			env,
			project,
		);
		expect(run.exitCode, run.stderr).toBe(0);
		const shown = mock.requests.map(request => shownToModel(request)).join('\n');
		expect(shown).toContain('mcp-tooling daemon \\"mcp-user\\": running');
		expect(shown).toMatch(/pid +\d+ \(up/);
		expect(shown).toContain('everything');
		await daemonGone();
	});

	it('offers the skill to the model, and loads SKILL.md when the model invokes it', async () => {
		mock.requests.length = 0;
		mock.script = request =>
			answersTool(request) ? {text: 'read it'} : {toolUse: {name: 'Skill', input: {skill: 'mcp-tooling:mcp-proxy-daemoning'}}};
		const run = await claude(
			['-p', 'How does the shared MCP daemon work?', '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Skill'],
			env,
			project,
		);
		expect(run.exitCode, run.stderr).toBe(0);
		expect(shownToModel(mock.requests[0]!)).toContain('mcp-tooling:mcp-proxy-daemoning');
		const afterSkill = mock.requests
			.slice(1)
			.map(request => shownToModel(request))
			.join('\n');
		expect(afterSkill).toContain('The problem it solves');
		await daemonGone();
	});
});
