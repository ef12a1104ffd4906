import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {serverScript, type World} from './support/daemon.js';
import {lifecycleWorld, runCli} from './support/lifecycle.js';

// `mcp-tooling daemon start` after the daemon answers: which servers are up, which still start.

let world: World;

afterEach(async () => world.dispose());

/** server-everything behind two seconds of start-up, as an npx download would be. */
const slow = {command: 'sh', args: ['-c', `sleep 2; exec "${process.execPath}" "${serverScript('everything')}" stdio`]};

describe('daemon start progress', () => {
	it('prints a line per state change when not on a terminal, until every server is up', async () => {
		world = lifecycleWorld();
		world.writeConfig({mcpServers: {slow, failing: {command: 'sh', args: ['-c', 'echo nope >&2; exit 4']}}});
		const began = Date.now();
		const outcome = await runCli(world, ['daemon', 'start']);
		const elapsed = Date.now() - began;
		expect(outcome.code, outcome.stderr).toBe(0);
		const lines = outcome.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^mcp-tooling daemon "mcp-user" started: pid \d+/);
		// No live-line control characters in a pipe.
		expect(outcome.stdout).not.toContain('\r');
		expect(outcome.stdout).not.toContain('\u001B');
		const starting = lines.indexOf('  slow: starting');
		const ready = lines.findIndex(line => /^ {2}slow: ready, \d+ tools$/.test(line));
		expect(starting).toBeGreaterThan(0);
		expect(ready).toBeGreaterThan(starting);
		// Each state once: a line per change, not per poll.
		expect(lines.filter(line => line === '  slow: starting')).toHaveLength(1);
		expect(lines).toContain('  failing: backoff: the server process ended (exit code 4)');
		expect(lines.at(-3)).toMatch(/^1 of 2 servers ready \(\d+ tools\)\.$/);
		// As the last look found it: in backoff, or already trying again.
		expect(lines.at(-2)).toMatch(/^ {2}failing: (?:backoff: the server process ended \(exit code 4\)|starting)$/);
		expect(elapsed).toBeGreaterThan(2000);
	});

	it('returns as soon as the daemon answers with --no-wait, and waits no longer than --wait', async () => {
		world = lifecycleWorld();
		// Starts only once the test opens its gate, which it never does: no wait could see it ready.
		const gate = join(world.root, 'gate');
		const gated = {
			command: 'sh',
			args: ['-c', `until [ -e "${gate}" ]; do sleep 0.05; done; exec "${process.execPath}" "${serverScript('everything')}" stdio`],
		};
		world.writeConfig({mcpServers: {slow: gated}});
		const quick = await runCli(world, ['daemon', 'start', '--no-wait']);
		expect(quick.code, quick.stderr).toBe(0);
		expect(quick.stdout.trimEnd().split('\n')).toHaveLength(1);

		const asked = Date.now();
		const restarted = await runCli(world, ['daemon', 'restart', '--wait', '0.5']);
		// Well under the default wait (60 s), which a command ignoring --wait would take.
		expect(Date.now() - asked).toBeLessThan(30_000);
		expect(restarted.code, restarted.stderr).toBe(0);
		expect(restarted.stdout).toContain('  slow: starting\n');
		expect(restarted.stdout).toContain('Still starting: slow;');
		expect(restarted.stdout).not.toContain('slow: ready');
	});
});
