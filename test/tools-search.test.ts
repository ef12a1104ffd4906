import {execa} from 'execa';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {CLI, servers, terminalCommand, World} from './support/daemon.js';
import {serversReady} from './support/ready.js';

let world: World;

async function cli(...args: string[]) {
	return execa(process.execPath, [CLI, ...args], {env: world.env, reject: false});
}

beforeAll(async () => {
	world = new World();
	world.writeConfig({
		mcpServers: {everything: servers.everything(), memory: servers.memory(`${world.root}/memory.jsonl`)},
	});
});

afterAll(async () => world.dispose());

it('says the daemon must run, and how to start it, when it does not', async () => {
	const result = await cli('tools', 'search', 'echo');
	expect(result.exitCode).toBe(1);
	expect(result.stderr).toContain(terminalCommand('daemon start'));
});

it('ranks the shared servers’ tools against plain words, best first', async () => {
	const {state} = await world.runDaemon();
	await serversReady(state, world.token());
	const result = await cli('tools', 'search', 'add', 'new', 'observations', 'to', 'an', 'entity', '--json', '--limit', '5');
	expect(result.exitCode, result.stderr).toBe(0);
	const matches = JSON.parse(result.stdout) as Array<{name: string; server: string; score: number}>;
	expect(matches.length).toBeGreaterThan(0);
	expect(matches.length).toBeLessThanOrEqual(5);
	expect(matches.every(match => match.server === 'memory' || match.server === 'everything')).toBe(true);
	expect(matches.map(match => match.score)).toEqual([...matches.map(match => match.score)].sort((a, b) => b - a));
	expect(matches.slice(0, 3).map(match => match.name)).toContainEqual(
		expect.stringMatching(/^memory__(create_entities|add_observations)$/),
	);

	const echo = await cli('tools', 'search', 'echo', 'a', 'message', 'back');
	expect(echo.stdout.split('\n')[0]).toContain('everything__echo');
});

it('asks for a query rather than listing everything', async () => {
	const result = await cli('tools', 'search');
	expect(result.exitCode).toBe(2);
	expect(result.stderr).toContain('say what you are looking for');
});
