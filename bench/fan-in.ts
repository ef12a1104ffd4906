import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {loadAverages, loadLine} from './lib/load.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {judgedFigure, mebibytes, memoryNote, SAMPLES, sampleMemory, withDescendants, type SampledMemory} from './lib/memory.js';
import {lineChartSvg} from './lib/plot-svg.js';
import {SERVER_KEYS, serverEntries, type ServerKey} from './lib/servers.js';
import {formatTable} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';
import {BenchWorld} from './lib/world.js';

/**
 * The product's headline: what S Claude Code sessions using the same M servers cost.
 *
 * - direct: what Claude Code does without the proxy: each session spawns its own M stdio servers
 *   and initializes and lists tools on each (S × M processes);
 * - shared: one daemon running the M servers once, and one bridge per session (1 + M + S processes),
 *   each bridge initialized with its tools listed.
 *
 * The setups run one after the other (never side by side, which would split shared pages between
 * them), each sampled after it settled. The sessions' client (Claude Code, here this process) is in
 * neither sum: both setups have it.
 */

/** Shared PSS at most this fraction of direct PSS... */
const TARGET_RATIO = 0.4;
/** ...at this many sessions. */
const TARGET_SESSIONS = 6;

type Setup = 'direct' | 'shared';

type Measured = SampledMemory & {
	setup: Setup;
	sessions: number;
	/** Spawn of the first process to the last tools/list answered, ms (information). */
	openMs: number;
	tools: number;
};

type Opened = {client: Client; transport: StdioClientTransport; tools: number};

async function openClient(transport: StdioClientTransport, world: BenchWorld, name: string): Promise<Opened> {
	const client = new Client({name, version: '0.0.0'});
	await client.connect(transport);
	world.adopt(transport.pid);
	const {tools} = await client.listTools();
	if (tools.length === 0) {
		throw new Error(`${name}: no tools listed`);
	}

	return {client, transport, tools: tools.length};
}

async function closeAll(opened: readonly Opened[]): Promise<void> {
	await Promise.all(opened.map(async ({client}) => client.close().catch(() => undefined)));
}

/** S sessions, each spawning its own M servers (concurrently within a session, as Claude Code does). */
async function measureDirect(context: BenchContext, sessions: number, settleMs: number): Promise<Measured> {
	const world = new BenchWorld(context.repo);
	const opened: Array<Opened & {key: ServerKey}> = [];
	try {
		const entries = serverEntries(context.repo, world.root);
		const started = performance.now();
		for (let session = 0; session < sessions; session++) {
			opened.push(
				...(await Promise.all(
					SERVER_KEYS.map(async key => {
						const entry = entries[key]!;
						const transport = new StdioClientTransport({
							command: entry.command,
							args: entry.args ?? [],
							env: {...world.env, ...entry.env},
							stderr: 'ignore',
						});
						return {...(await openClient(transport, world, `bench-fan-in-direct-${session}-${key}`)), key};
					}),
				)),
			);
		}

		const openMs = performance.now() - started;
		const memory = await sampleMemory(() => {
			const roles = new Map<string, number[]>();
			for (const {transport, key} of opened) {
				roles.set(key, [...(roles.get(key) ?? []), ...withDescendants([transport.pid!])]);
			}

			return roles;
		}, settleMs);
		return {
			setup: 'direct',
			sessions,
			...memory,
			openMs,
			tools: opened.slice(0, SERVER_KEYS.length).reduce((sum, one) => sum + one.tools, 0),
		};
	} finally {
		await closeAll(opened);
		await world.dispose();
	}
}

/** One daemon with the M servers, and S bridges, each initialized with its tools listed. */
async function measureShared(context: BenchContext, sessions: number, settleMs: number): Promise<Measured> {
	const world = new BenchWorld(context.repo);
	const opened: Opened[] = [];
	try {
		world.writeConfig(serverEntries(context.repo, world.root));
		const started = performance.now();
		const daemon = await world.startDaemon();
		for (let session = 0; session < sessions; session++) {
			const transport = new StdioClientTransport({
				command: process.execPath,
				args: [world.bridge],
				env: world.env,
				stderr: 'inherit',
			});
			opened.push(await openClient(transport, world, `bench-fan-in-shared-${session}`));
		}

		const openMs = performance.now() - started;
		const memory = await sampleMemory(() => {
			const upstreams = withDescendants([daemon.pid]).filter(pid => pid !== daemon.pid);
			return new Map([
				['daemon', [daemon.pid]],
				['servers', upstreams],
				['bridges', withDescendants(opened.map(({transport}) => transport.pid!))],
			]);
		}, settleMs);
		if (memory.countByRole.servers !== SERVER_KEYS.length) {
			process.stderr.write(
				`bench fan-in: expected ${SERVER_KEYS.length} upstream processes under the daemon, found ${memory.countByRole.servers}\n`,
			);
		}

		return {setup: 'shared', sessions, ...memory, openMs, tools: opened[0]?.tools ?? 0};
	} finally {
		await closeAll(opened);
		await world.dispose();
	}
}

function parseSessions(context: BenchContext): number[] {
	const text = context.options.get('sessions');
	const list = text === undefined ? (context.quick ? [1, 2] : [1, 2, 4, 6, 8]) : text.split(',').map(part => Number(part.trim()));
	if (list.length === 0 || list.some(value => !Number.isSafeInteger(value) || value <= 0)) {
		throw new Error(`--sessions takes positive whole numbers separated by commas, not "${text}"`);
	}

	return [...new Set(list)].sort((a, b) => a - b);
}

const ratio = (shared: number, direct: number) => `${(shared / direct).toFixed(2)}×`;

function printOne(direct: Measured, shared: Measured): void {
	console.log(
		formatTable(
			[`S = ${direct.sessions}, M = ${SERVER_KEYS.length}`, 'processes', 'RSS MiB', 'PSS MiB', 'PSS per session MiB'],
			[
				[
					'direct (M servers per session)',
					String(direct.processes),
					mebibytes(direct.rss),
					mebibytes(direct.pss),
					mebibytes(direct.pss / direct.sessions),
				],
				[
					'shared (daemon + M + S bridges)',
					String(shared.processes),
					mebibytes(shared.rss),
					mebibytes(shared.pss),
					mebibytes(shared.pss / shared.sessions),
				],
				['shared ÷ direct', ratio(shared.processes, direct.processes), ratio(shared.rss, direct.rss), ratio(shared.pss, direct.pss), ''],
			],
			['left', 'right', 'right', 'right', 'right'],
		),
	);
	console.log();
}

function roleLine(measured: Measured): string {
	return Object.keys(measured.pssByRole)
		.map(
			role =>
				`${role} ×${measured.countByRole[role]} ${mebibytes(measured.pssByRole[role]!)} MiB PSS ` +
				`(${mebibytes(measured.rssByRole[role]!)} RSS)`,
		)
		.join(', ');
}

async function run(context: BenchContext): Promise<BenchOutcome> {
	const sessionCounts = parseSessions(context);
	const settleMs = Number(context.options.get('settle-ms') ?? 1000);
	if (!Number.isFinite(settleMs) || settleMs < 0) {
		throw new Error(`--settle-ms takes a number of milliseconds, not "${context.options.get('settle-ms')}"`);
	}

	const machine = describeMachine();
	const loadStart = loadAverages();
	console.log(
		`fan-in: S sessions × M = ${SERVER_KEYS.length} servers (${SERVER_KEYS.join(', ')}), direct vs shared, ` +
			`S = ${sessionCounts.join(', ')}; memory summed over each setup's processes, ` +
			`sampled ${SAMPLES}× after ${settleMs} ms settling (medians)`,
	);
	console.log(`machine: ${machineLine(machine)}`);
	console.log(loadLine());
	console.log(memoryNote());
	console.log();

	const pairs: Array<{direct: Measured; shared: Measured}> = [];
	for (const [index, sessions] of sessionCounts.entries()) {
		// Alternate which setup goes first, so neither always runs on a machine the other just left.
		const directFirst = index % 2 === 0;
		const first = directFirst ? await measureDirect(context, sessions, settleMs) : await measureShared(context, sessions, settleMs);
		const second = directFirst ? await measureShared(context, sessions, settleMs) : await measureDirect(context, sessions, settleMs);
		const pair = directFirst ? {direct: first, shared: second} : {direct: second, shared: first};
		pairs.push(pair);
		printOne(pair.direct, pair.shared);
	}

	console.log("summary (memory in MiB, summed over each setup's processes):");
	console.log(
		formatTable(
			['S', 'procs direct', 'procs shared', 'RSS direct', 'RSS shared', 'RSS ratio', 'PSS direct', 'PSS shared', 'PSS ratio'],
			pairs.map(({direct, shared}) => [
				String(direct.sessions),
				String(direct.processes),
				String(shared.processes),
				mebibytes(direct.rss),
				mebibytes(shared.rss),
				ratio(shared.rss, direct.rss),
				mebibytes(direct.pss),
				mebibytes(shared.pss),
				ratio(shared.pss, direct.pss),
			]),
			['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
		),
	);
	const largest = pairs.at(-1)!;
	console.log(`by process at S = ${largest.direct.sessions}: direct: ${roleLine(largest.direct)}`);
	console.log(`                 shared: ${roleLine(largest.shared)}`);

	const atTarget = pairs.find(pair => pair.direct.sessions === TARGET_SESSIONS);
	const figure = judgedFigure(largest.direct).name;
	const targetRatio = atTarget ? judgedFigure(atTarget.shared).bytes / judgedFigure(atTarget.direct).bytes : undefined;
	const met = targetRatio === undefined ? undefined : targetRatio <= TARGET_RATIO;
	console.log(
		targetRatio === undefined
			? `target shared ${figure} ≤ ${TARGET_RATIO}× direct at S = ${TARGET_SESSIONS}: ` +
					`not measured in this run (S = ${sessionCounts.join(', ')})`
			: `target shared ${figure} ≤ ${TARGET_RATIO}× direct at S = ${TARGET_SESSIONS}: ` +
					`${targetRatio.toFixed(2)}×, ${met ? 'met' : 'MISSED'}`,
	);
	const loadEnd = loadAverages();
	console.log(loadLine('load average at the end'));

	mkdirSync(context.outDir, {recursive: true});
	const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
	const svgFile = join(context.outDir, 'fan-in.svg');
	const xs = pairs.map(pair => pair.direct.sessions);
	writeFileSync(
		svgFile,
		lineChartSvg({
			title: `Memory of S sessions × ${SERVER_KEYS.length} MCP servers: direct vs shared daemon`,
			subtitle: `${SERVER_KEYS.join(', ')}; ${machine.nproc} CPU ${machine.cpu}, Node ${machine.node}, ${machine.date.slice(0, 10)}`,
			xLabel: 'sessions (S)',
			yLabel: 'MiB, summed over all processes of the setup',
			xTicks: xs,
			series: [
				{
					label: 'direct PSS (M servers per session)',
					color: '#c0392b',
					points: pairs.map(pair => [pair.direct.sessions, mib(pair.direct.pss)]),
				},
				{
					label: 'shared PSS (daemon + M servers + S bridges)',
					color: '#2166ac',
					points: pairs.map(pair => [pair.shared.sessions, mib(pair.shared.pss)]),
				},
				{
					label: 'direct RSS',
					color: '#c0392b',
					dash: '6 4',
					points: pairs.map(pair => [pair.direct.sessions, mib(pair.direct.rss)]),
				},
				{
					label: 'shared RSS',
					color: '#2166ac',
					dash: '6 4',
					points: pairs.map(pair => [pair.shared.sessions, mib(pair.shared.rss)]),
				},
				{
					label: `target: ${TARGET_RATIO} × direct PSS`,
					color: '#888888',
					dash: '2 3',
					markers: false,
					points: pairs.map(pair => [pair.direct.sessions, mib(pair.direct.pss * TARGET_RATIO)]),
				},
			],
		}),
	);
	console.log(`wrote ${svgFile}`);

	const file = writeResults(context, 'fan-in', {
		benchmark: 'fan-in',
		machine,
		loadAverage: {start: loadStart, end: loadEnd},
		quick: context.quick,
		plan: {sessions: sessionCounts, servers: SERVER_KEYS, settleMs, samples: SAMPLES},
		target: {maxPssRatio: TARGET_RATIO, atSessions: TARGET_SESSIONS, ratio: targetRatio ?? null, met: met ?? null},
		results: pairs.map(({direct, shared}) => ({
			sessions: direct.sessions,
			direct,
			shared,
			ratio: {
				processes: shared.processes / direct.processes,
				rss: shared.rss / direct.rss,
				pss: shared.pss / direct.pss,
			},
		})),
	});
	console.log(`wrote ${file}`);
	if (met === false) {
		console.log(`target missed${context.quick ? ' (quick run: not enforced)' : ''}`);
	}

	return {ok: met !== false, files: [file, svgFile]};
}

export const fanIn: Benchmark = {
	name: 'fan-in',
	description: 'processes and memory (RSS, PSS) of S sessions × 3 servers: each session its own servers vs one daemon + bridges',
	options: {
		'--sessions=L': 'session counts S to measure, comma-separated (default 1,2,4,6,8; quick 1,2)',
		'--settle-ms=N': 'wait after the last tools/list before sampling memory (default 1000)',
	},
	run,
};
