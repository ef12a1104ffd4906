import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {formatStatus} from '../src/cli/format-status.js';
import type {DaemonState} from '../src/contract/state-file.js';
import type {ServerDetail, Status} from '../src/lifecycle/status-report.js';
import {servers, World} from './support/daemon.js';
import {daemonStatus} from './support/raw-http.js';

// An entry's `description` (a proxy-only key) shows in the daemon's status and under its servers table.

function server(name: string, description?: string): ServerDetail {
	return {
		name,
		scope: 'global',
		project: null,
		state: 'ready',
		pid: null,
		tools: 3,
		transport: 'http',
		restarts: 0,
		lastError: null,
		catalogFrom: null,
		lastUsed: null,
		oversized: 0,
		invalid: 0,
		turns: {serializes: false, waits: 0, waitedMs: 0},
		memory: null,
		...(description === undefined ? {} : {description}),
	};
}

function running(list: ServerDetail[]): Status {
	return {
		running: true,
		name: 'mcp-user',
		pid: 42,
		port: 12_476,
		url: 'http://127.0.0.1:12476/mcp',
		tokenFile: '/tmp/t',
		sessions: 0,
		servers: list,
		version: '1.0.0',
		startedAt: new Date().toISOString(),
		configFile: '/tmp/c.json',
		logFile: '/tmp/l.log',
		registrations: [],
		clients: [],
		collisions: [],
		routing: 'direct',
		rss: null,
		uptime: 5,
		memory: null,
		sessionList: [],
		duplicates: [],
		configError: null,
	};
}

describe('daemon status output', () => {
	it('lists each described server once under the servers table', () => {
		const text = formatStatus(
			running([server('github', 'Issues and pull requests'), server('github', 'Issues and pull requests'), server('plain')]),
			100,
		);
		const lines = text.split('\n');
		const table = lines.findIndex(line => line.startsWith('Servers (3)'));
		const note = lines.findIndex(line => line.includes('github: Issues and pull requests'));
		expect(note).toBeGreaterThan(table + 3);
		expect(lines.filter(line => line.includes('Issues and pull requests'))).toHaveLength(1);
		expect(text).not.toMatch(/plain:/);
	});

	it('adds nothing when no server has a description', () => {
		expect(formatStatus(running([server('plain')]), 100)).not.toMatch(/plain:/);
	});
});

describe("the daemon's /status", () => {
	let world: World;
	let state: DaemonState;

	beforeAll(async () => {
		world = new World();
		world.writeConfig({
			mcpServers: {
				described: {...servers.everything(), description: 'The reference test server'},
				plain: servers.everything(),
			},
		});
		({state} = await world.runDaemon());
	}, 30_000);

	afterAll(async () => world.dispose());

	it("carries an entry's description, and none for an entry without", async () => {
		const status = await daemonStatus(state, world.token());
		const byName = new Map(status.servers.map(entry => [entry.name, entry as typeof entry & {description?: string}]));
		expect(byName.get('described')?.description).toBe('The reference test server');
		expect(byName.get('plain')).not.toHaveProperty('description');
	});
});
