import {execFileSync} from 'node:child_process';
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {setTimeout as sleep} from 'node:timers/promises';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {initializeMcp, LineRpcChild} from './lib/line-rpc.js';
import {loadAverages, loadLine} from './lib/load.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {judgedFigure, mebibytes, memoryNote, sampleMemory, withDescendants, type SampledMemory} from './lib/memory.js';
import {SERVER_KEYS, serverEntries} from './lib/servers.js';
import {summarize, type Summary} from './lib/stats.js';
import {coarseTimingCells, formatTable} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';
import {BenchWorld, type McpServerEntry} from './lib/world.js';
import {positiveInt} from './lib/options.js';

/**
 * What lazy servers save, each figure against a baseline measured in the same run:
 *
 * - cold attach: a bridge spawned with no daemon running (it starts one, as a session's first
 *   bridge does) to the first `tools/list` that holds the slow server's tools; the slow server is
 *   server-everything behind a 10 s pause. With its catalog on disk against without.
 * - idle memory: S = 6 bridges and M = 3 servers, every session calling one tool of one server
 *   (everything's echo): PSS of daemon, servers and bridges with lazy servers against all of
 *   them eager (the shared setup as it was before lazy servers).
 * - first call: `tools/call` through a bridge to an idle server (its start included) against the
 *   same call to it warm.
 */

const SLOW_S = 10;
/** Median cold attach with a catalog, ms. */
const TARGET_COLD_MS = 300;
const SESSIONS = 6;

/** server-everything behind a pause read from a file: one entry (one catalog), slow or not by run. */
function slowEverything(repo: string, pauseFile: string): McpServerEntry {
	const script = join(repo, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
	return {command: 'sh', args: ['-c', `sleep "$(cat '${pauseFile}')"; exec '${process.execPath}' '${script}' stdio`]};
}

/** `daemon stop` for a daemon a bridge started (not our child); its pid is adopted first, so exit ends it in any case. */
function stopDetachedDaemon(world: BenchWorld): void {
	try {
		world.adopt((JSON.parse(readFileSync(world.stateFile, 'utf8')) as {pid: number}).pid);
	} catch {
		return;
	}

	execFileSync(process.execPath, [world.cli, 'daemon', 'stop'], {env: world.env, stdio: 'ignore', timeout: 30_000});
}

/** Spawn of a bridge to the first tools/list holding `tool`, asking again while it does not. */
async function coldAttach(world: BenchWorld, tool: string): Promise<number> {
	const started = performance.now();
	const bridge = new LineRpcChild(process.execPath, [world.bridge], world.env);
	world.adopt(bridge.pid);
	try {
		await initializeMcp(bridge, 'mcp-tooling-bench-lazy');
		for (let id = 2; ; id++) {
			const {tools = []} = (await bridge.request(id, 'tools/list', {})) as {tools?: Array<{name: string}>};
			if (tools.some(listed => listed.name === tool)) {
				return performance.now() - started;
			}

			await sleep(50);
		}
	} finally {
		await bridge.close();
		stopDetachedDaemon(world);
	}
}

async function measureColdAttach(context: BenchContext, withCatalog: number, without: number): Promise<{lazy: Summary; cold: Summary}> {
	const world = new BenchWorld(context.repo);
	try {
		const pause = join(world.root, 'pause');
		writeFileSync(pause, '0');
		world.writeConfig({slow: slowEverything(context.repo, pause)});
		// One daemon's life teaches the catalog; from then on the server takes 10 s to initialize.
		await world.startDaemon();
		await world.stopDaemon();
		writeFileSync(pause, String(SLOW_S));
		const lazy: number[] = [];
		for (let run = 0; run < withCatalog; run++) {
			lazy.push(await coldAttach(world, 'slow__echo'));
		}

		const catalogs = join(world.root, 'lib', 'mcpproxy', 'catalogs');
		const cold: number[] = [];
		for (let run = 0; run < without; run++) {
			rmSync(catalogs, {recursive: true, force: true});
			cold.push(await coldAttach(world, 'slow__echo'));
		}

		return {lazy: summarize(lazy), cold: summarize(cold)};
	} finally {
		await world.dispose();
	}
}

type Session = {client: Client; transport: StdioClientTransport};

async function openSession(world: BenchWorld, name: string): Promise<Session> {
	const transport = new StdioClientTransport({command: process.execPath, args: [world.bridge], env: world.env, stderr: 'inherit'});
	const client = new Client({name, version: '0.0.0'});
	await client.connect(transport);
	world.adopt(transport.pid);
	return {client, transport};
}

/** S sessions on M servers, each calling everything's echo once; memory once settled. */
async function measureIdleMemory(context: BenchContext, start: 'lazy' | 'eager'): Promise<SampledMemory> {
	const world = new BenchWorld(context.repo);
	const sessions: Session[] = [];
	try {
		const entries = Object.fromEntries(
			Object.entries(serverEntries(context.repo, world.root)).map(([name, entry]) => [name, {...entry, start}]),
		);
		world.writeConfig(entries);
		if (start === 'lazy') {
			await world.startDaemon();
			await world.stopDaemon();
		}

		const daemon = await world.startDaemon();
		for (let index = 0; index < SESSIONS; index++) {
			const session = await openSession(world, `bench-lazy-${start}-${index}`);
			await session.client.callTool({name: 'everything__echo', arguments: {message: 'used'}});
			sessions.push(session);
		}

		return await sampleMemory(
			() =>
				new Map([
					['daemon', [daemon.pid]],
					['servers', withDescendants([daemon.pid]).filter(pid => pid !== daemon.pid)],
					['bridges', withDescendants(sessions.map(({transport}) => transport.pid!))],
				]),
			1000,
		);
	} finally {
		await Promise.all(sessions.map(async ({client}) => client.close().catch(() => undefined)));
		await world.dispose();
	}
}

/** Calls to server-memory's read_graph through a bridge: each first call after an idle stop, then one warm. */
async function measureFirstCall(context: BenchContext, rounds: number): Promise<{first: Summary; warm: Summary}> {
	const world = new BenchWorld(context.repo);
	let session: Session | undefined;
	try {
		world.writeConfig({memory: {...serverEntries(context.repo, world.root, ['memory']).memory!, idleTimeout: 1}});
		await world.startDaemon();
		session = await openSession(world, 'bench-lazy-first-call');
		const call = async () => {
			const started = performance.now();
			await session!.client.callTool({name: 'memory__read_graph', arguments: {}});
			return performance.now() - started;
		};

		const first: number[] = [];
		const warm: number[] = [];
		for (let round = 0; round < rounds; round++) {
			const deadline = Date.now() + 15_000;
			while ((await world.servers())[0]?.state !== 'idle') {
				if (Date.now() > deadline) throw new Error('the memory server did not go idle within 15 s of its idle time of 1 s');
				await sleep(100);
			}

			first.push(await call());
			warm.push(await call());
		}

		return {first: summarize(first), warm: summarize(warm)};
	} finally {
		await session?.client.close().catch(() => undefined);
		await world.dispose();
	}
}

async function run(context: BenchContext): Promise<BenchOutcome> {
	const withCatalog = positiveInt(context.options, 'runs', context.quick ? 3 : 10);
	const without = positiveInt(context.options, 'cold-runs', context.quick ? 1 : 3);
	const rounds = positiveInt(context.options, 'rounds', context.quick ? 3 : 10);
	const machine = describeMachine();
	const loadStart = loadAverages();
	console.log(
		`lazy: cold attach with a server that takes ${SLOW_S} s to initialize (${withCatalog} runs with its catalog, ${without} without); ` +
			`memory of S = ${SESSIONS}, M = ${SERVER_KEYS.length} with one server used, lazy vs eager; ` +
			`first call to an idle server vs warm (${rounds} rounds)`,
	);
	console.log(`machine: ${machineLine(machine)}`);
	console.log(loadLine());
	console.log(memoryNote());

	const attach = await measureColdAttach(context, withCatalog, without);
	const eager = await measureIdleMemory(context, 'eager');
	const lazy = await measureIdleMemory(context, 'lazy');
	const calls = await measureFirstCall(context, rounds);
	const attachMet = attach.lazy.p50 <= TARGET_COLD_MS;

	const timing = (label: string, summary: Summary, baseline: Summary, note: string) => [
		label,
		...coarseTimingCells(summary),
		`${(summary.p50 / baseline.p50).toFixed(3)}×`,
		note,
	];
	console.log();
	console.log(
		formatTable(
			[
				'cold attach: spawn → tools/list with its tools',
				'n',
				'p50 ms',
				'p90 ms',
				'max ms',
				'p50 ÷ baseline',
				`target ≤ ${TARGET_COLD_MS} ms`,
			],
			[
				timing('with its catalog on disk', attach.lazy, attach.cold, attachMet ? 'met' : 'MISSED'),
				timing('without (baseline)', attach.cold, attach.cold, ''),
			],
			['left', 'right', 'right', 'right', 'right', 'right', 'left'],
		),
	);
	console.log();
	const figure = (memory: SampledMemory) => judgedFigure(memory);
	const memoryRow = (label: string, memory: SampledMemory) => [
		label,
		String(memory.processes),
		String(memory.countByRole.servers),
		mebibytes(memory.rss),
		mebibytes(memory.pss),
		`${(figure(memory).bytes / figure(eager).bytes).toFixed(2)}×`,
	];
	console.log(
		formatTable(
			[
				`S = ${SESSIONS}, M = ${SERVER_KEYS.length}, one server used`,
				'processes',
				'servers',
				'RSS MiB',
				'PSS MiB',
				`÷ eager (${figure(eager).name})`,
			],
			[memoryRow('lazy (idle servers not started)', lazy), memoryRow('eager (baseline: every server runs)', eager)],
			['left', 'right', 'right', 'right', 'right', 'right'],
		),
	);
	console.log();
	console.log(
		formatTable(
			['tools/call through a bridge', 'n', 'p50 ms', 'p90 ms', 'max ms', 'p50 ÷ warm', ''],
			[
				timing('first call to an idle server (starts it)', calls.first, calls.warm, ''),
				timing('the same call, warm (baseline)', calls.warm, calls.warm, ''),
			],
			['left', 'right', 'right', 'right', 'right', 'right', 'left'],
		),
	);
	const loadEnd = loadAverages();
	console.log(loadLine('load average at the end'));

	const file = writeResults(context, 'lazy', {
		benchmark: 'lazy',
		machine,
		loadAverage: {start: loadStart, end: loadEnd},
		quick: context.quick,
		plan: {slowSeconds: SLOW_S, withCatalog, without, sessions: SESSIONS, servers: SERVER_KEYS, rounds},
		target: {coldAttachP50Ms: TARGET_COLD_MS},
		results: {coldAttach: attach, idleMemory: {lazy, eager}, firstCall: calls},
	});
	return {ok: attachMet, files: [file]};
}

export const lazy: Benchmark = {
	name: 'lazy',
	description: 'lazy servers: cold attach with a catalog vs without, idle memory vs eager, first call vs warm',
	options: {
		'--runs=N': 'cold attaches with the catalog (default 10, quick 3)',
		'--cold-runs=N': `cold attaches without it, ${SLOW_S} s+ each (default 3, quick 1)`,
		'--rounds=N': 'first-call rounds (default 10, quick 3)',
	},
	run,
};
