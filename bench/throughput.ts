import {performance} from 'node:perf_hooks';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {CallToolResultSchema} from '@modelcontextprotocol/sdk/types.js';
import {cpuNanos} from './lib/cpu.js';
import {loadAverages, loadLine} from './lib/load.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {serverEntries} from './lib/servers.js';
import {summarize, type Summary} from './lib/stats.js';
import {formatTable, ms} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';
import {BenchWorld, type RunningDaemon} from './lib/world.js';

/**
 * Many sessions calling at once: C concurrent sessions, each calling server-everything's `echo`
 * in a closed loop (the next call as soon as the last answered) for a fixed time.
 *
 * - direct: C SDK clients, each over stdio to its own server-everything (C servers);
 * - shared: C SDK clients, each over stdio to its own bridge (`node dist/bridge.js`), all reaching
 *   one daemon and through it one server-everything.
 *
 * Every call carries a message no other call carries, and its reply must echo exactly that message:
 * a reply crossing to another call or session is counted as a mismatch (there must be none).
 * The paths alternate in rounds, so a noisy moment on the machine spreads over both.
 */

/** Shared calls/s at least this fraction of direct calls/s. */
const TARGET_RATIO = 0.4;

type PathId = 'direct' | 'shared';

const LABELS: Record<PathId, string> = {
	direct: 'direct (C clients → C servers)',
	shared: 'shared (C bridges → daemon → 1 server)',
};

type Session = {client: Client; transport: StdioClientTransport; tool: string};

type Tally = {calls: number; mismatches: number; errors: number; latencies: number[]; firstProblem?: string};

type Phase = {path: PathId; round: number; seconds: number; calls: number; mismatches: number; errors: number};

function positiveNumber(context: BenchContext, key: string, fallback: number, integer: boolean): number {
	const text = context.options.get(key);
	const value = text === undefined ? fallback : Number(text);
	if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isSafeInteger(value))) {
		throw new Error(`--${key} takes a positive ${integer ? 'whole ' : ''}number, not "${text}"`);
	}

	return value;
}

function echoText(result: unknown): string | undefined {
	const content = (result as {content?: Array<{type: string; text?: string}>}).content;
	return content?.find(item => item.type === 'text')?.text;
}

async function openSession(transport: StdioClientTransport, world: BenchWorld, name: string): Promise<Session> {
	const client = new Client({name, version: '0.0.0'});
	await client.connect(transport);
	world.adopt(transport.pid);
	const {tools} = await client.listTools();
	const tool = tools.map(one => one.name).find(one => one === 'echo' || one === 'everything__echo');
	if (!tool) {
		throw new Error(`${name}: no echo tool among ${tools.map(one => one.name).join(', ')}`);
	}

	return {client, transport, tool};
}

/**
 * Every session calls in a closed loop until `seconds` have passed (or it made `calls` calls);
 * replies are checked one by one.
 */
async function drive(
	sessions: readonly Session[],
	path: PathId,
	round: number,
	until: {seconds: number} | {calls: number},
	tally?: Tally,
): Promise<{calls: number; mismatches: number; errors: number; elapsed: number}> {
	const local: Tally = {calls: 0, mismatches: 0, errors: 0, latencies: []};
	const started = performance.now();
	const deadline = 'seconds' in until ? started + until.seconds * 1000 : Number.POSITIVE_INFINITY;
	const most = 'calls' in until ? until.calls : Number.POSITIVE_INFINITY;
	await Promise.all(
		sessions.map(async (session, index) => {
			let sequence = 0;
			while (performance.now() < deadline && sequence < most) {
				const message = `${path}-r${round}-s${index}-c${sequence++}-${Math.random().toString(36).slice(2, 10)}`;
				const sent = performance.now();
				try {
					const result = await session.client.request(
						{method: 'tools/call', params: {name: session.tool, arguments: {message}}},
						CallToolResultSchema,
					);
					local.latencies.push(performance.now() - sent);
					local.calls++;
					const text = echoText(result);
					if (text !== `Echo: ${message}`) {
						local.mismatches++;
						local.firstProblem ??= `sent ${message}, got ${JSON.stringify(text)}`;
					}
				} catch (error) {
					local.errors++;
					local.firstProblem ??= `sent ${message}: ${(error as Error).message}`;
				}
			}
		}),
	);
	const elapsed = (performance.now() - started) / 1000;
	if (tally) {
		tally.calls += local.calls;
		tally.mismatches += local.mismatches;
		tally.errors += local.errors;
		tally.latencies.push(...local.latencies);
		tally.firstProblem ??= local.firstProblem;
	}

	return {calls: local.calls, mismatches: local.mismatches, errors: local.errors, elapsed};
}

/** CPU time used so far by each group of processes (ns). */
function cpuOf(groups: ReadonlyMap<string, readonly number[]>): Map<string, number> {
	return new Map([...groups].map(([group, pids]) => [group, pids.reduce((sum, pid) => sum + (cpuNanos(pid) ?? 0), 0)]));
}

async function run(context: BenchContext): Promise<BenchOutcome> {
	const concurrency = positiveNumber(context, 'clients', 8, true);
	const seconds = positiveNumber(context, 'seconds', context.quick ? 2 : 10, false);
	const rounds = positiveNumber(context, 'rounds', context.quick ? 2 : 4, true);
	// Calls per session before measuring: enough for V8 to optimise the hot paths of every process.
	const warmup = positiveNumber(context, 'warmup', context.quick ? 50 : 200, true);
	const machine = describeMachine();
	const loadStart = loadAverages();
	console.log(
		`throughput: ${concurrency} concurrent sessions calling echo in a closed loop, ${seconds} s per path in ${rounds} rounds, ` +
			`interleaved, after ${warmup} warm-up calls per session; every reply checked against its call`,
	);
	console.log(`machine: ${machineLine(machine)}`);
	console.log(loadLine());

	const world = new BenchWorld(context.repo);
	const sessions: Record<PathId, Session[]> = {direct: [], shared: []};
	const tallies: Record<PathId, Tally> = {
		direct: {calls: 0, mismatches: 0, errors: 0, latencies: []},
		shared: {calls: 0, mismatches: 0, errors: 0, latencies: []},
	};
	const elapsed: Record<PathId, number> = {direct: 0, shared: 0};
	const cpuUsed: Record<PathId, Map<string, number>> = {direct: new Map(), shared: new Map()};
	const phases: Phase[] = [];
	let daemon: RunningDaemon | undefined;
	/** The measured rounds on the monotonic clock of V8's .cpuprofile timestamps (µs), for `profile-summary.ts --window`. */
	const window = {startMicros: 0, endMicros: 0};
	const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
	try {
		const entries = serverEntries(context.repo, world.root, ['everything']);
		const everything = entries.everything!;
		world.writeConfig(entries);
		// `--profile DIR`: the daemon and the bridges write .cpuprofile files there (named by PID) on exit.
		const profileArgs = context.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${context.profileDir}`, '--cpu-prof-interval=250'] : [];
		daemon = await world.startDaemon({nodeArgs: profileArgs});
		console.log(
			`daemon: pid ${daemon.pid} at ${daemon.url}, upstream ${daemon.upstreamPids.join(', ')}` +
				`${context.profileDir ? ` (profiling into ${context.profileDir})` : ''}`,
		);
		for (let index = 0; index < concurrency; index++) {
			const direct = new StdioClientTransport({
				command: everything.command,
				args: everything.args ?? [],
				env: world.env,
				stderr: 'ignore',
			});
			sessions.direct.push(await openSession(direct, world, `bench-throughput-direct-${index}`));
			const bridge = new StdioClientTransport({
				command: process.execPath,
				args: [...profileArgs, world.bridge],
				env: world.env,
				stderr: 'inherit',
			});
			sessions.shared.push(await openSession(bridge, world, `bench-throughput-shared-${index}`));
		}

		if (context.profileDir) {
			console.log(
				`bridges: pids ${sessions.shared.map(session => session.transport.pid).join(', ')} (profiling into ${context.profileDir})`,
			);
		}

		const groups: Record<PathId, Map<string, number[]>> = {
			direct: new Map([
				['client', [process.pid]],
				['servers', sessions.direct.map(session => session.transport.pid!)],
			]),
			shared: new Map([
				['client', [process.pid]],
				['bridges', sessions.shared.map(session => session.transport.pid!)],
				['daemon', [daemon.pid]],
				['servers', [...daemon.upstreamPids]],
			]),
		};

		for (const path of ['direct', 'shared'] as const) {
			const warm = await drive(sessions[path], path, -1, {calls: warmup});
			if (warm.mismatches + warm.errors > 0) {
				console.log(`${path}: ${warm.mismatches} mismatch(es) and ${warm.errors} error(s) already in the warm-up`);
			}
		}

		const perRound = seconds / rounds;
		window.startMicros = monotonicMicros();
		for (let round = 0; round < rounds; round++) {
			const order: PathId[] = round % 2 === 0 ? ['direct', 'shared'] : ['shared', 'direct'];
			for (const path of order) {
				const before = cpuOf(groups[path]);
				const phase = await drive(sessions[path], path, round, {seconds: perRound}, tallies[path]);
				for (const [group, nanos] of cpuOf(groups[path])) {
					cpuUsed[path].set(group, (cpuUsed[path].get(group) ?? 0) + nanos - (before.get(group) ?? 0));
				}

				elapsed[path] += phase.elapsed;
				phases.push({
					path,
					round,
					seconds: phase.elapsed,
					calls: phase.calls,
					mismatches: phase.mismatches,
					errors: phase.errors,
				});
			}
		}

		window.endMicros = monotonicMicros();
	} finally {
		await Promise.all([...sessions.direct, ...sessions.shared].map(async session => session.client.close().catch(() => undefined)));
		await world.dispose();
	}

	const rate = (path: PathId) => tallies[path].calls / elapsed[path];
	const directRate = rate('direct');
	const sharedRate = rate('shared');
	const ratio = sharedRate / directRate;
	const latency: Record<PathId, Summary> = {
		direct: summarize(tallies.direct.latencies),
		shared: summarize(tallies.shared.latencies),
	};
	const clean = (['direct', 'shared'] as const).every(path => tallies[path].mismatches === 0 && tallies[path].errors === 0);
	const met = ratio >= TARGET_RATIO && clean;

	console.log();
	console.log(
		formatTable(
			[
				'path',
				'calls',
				'seconds',
				'calls/s',
				'per session/s',
				'mismatches',
				'errors',
				'p50 ms',
				'p90 ms',
				'p99 ms',
				'÷ direct',
				`target ≥ ${TARGET_RATIO}× direct`,
			],
			(['direct', 'shared'] as const).map(path => [
				LABELS[path].replace(/\bC\b/g, String(concurrency)),
				String(tallies[path].calls),
				elapsed[path].toFixed(1),
				rate(path).toFixed(0),
				(rate(path) / concurrency).toFixed(0),
				String(tallies[path].mismatches),
				String(tallies[path].errors),
				ms(latency[path].p50, 2),
				ms(latency[path].p90, 2),
				ms(latency[path].p99, 2),
				path === 'direct' ? '1.00×' : `${ratio.toFixed(2)}×`,
				path === 'direct' ? '(baseline)' : ratio >= TARGET_RATIO ? 'met' : 'MISSED',
			]),
			['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
		),
	);
	console.log();
	const cpuGroups = ['client', 'bridges', 'daemon', 'servers'];
	console.log("CPU time per call (µs, summed over each group's processes, from /proc/PID/task/*/schedstat):");
	console.log(
		formatTable(
			['path', ...cpuGroups, 'total'],
			(['direct', 'shared'] as const).map(path => {
				const calls = tallies[path].calls;
				const per = (nanos: number | undefined) => (nanos === undefined || calls === 0 ? '-' : (nanos / 1000 / calls).toFixed(0));
				const total = [...cpuUsed[path].values()].reduce((sum, nanos) => sum + nanos, 0);
				return [LABELS[path].replace(/\bC\b/g, String(concurrency)), ...cpuGroups.map(group => per(cpuUsed[path].get(group))), per(total)];
			}),
			['left', 'right', 'right', 'right', 'right', 'right'],
		),
	);
	for (const path of ['direct', 'shared'] as const) {
		if (tallies[path].firstProblem) {
			console.log(`${path}: first problem: ${tallies[path].firstProblem}`);
		}
	}

	const loadEnd = loadAverages();
	console.log(loadLine('load average at the end'));

	const file = writeResults(context, 'throughput', {
		benchmark: 'throughput',
		machine,
		loadAverage: {start: loadStart, end: loadEnd},
		quick: context.quick,
		plan: {sessions: concurrency, seconds, rounds, warmupCallsPerSession: warmup},
		target: {minRatioToDirect: TARGET_RATIO, mismatches: 0},
		results: Object.fromEntries(
			(['direct', 'shared'] as const).map(path => [
				path,
				{
					calls: tallies[path].calls,
					seconds: elapsed[path],
					callsPerSecond: rate(path),
					mismatches: tallies[path].mismatches,
					errors: tallies[path].errors,
					latencyMs: latency[path],
					cpuMicrosPerCall: Object.fromEntries(
						[...cpuUsed[path]].map(([group, nanos]) => [group, nanos / 1000 / Math.max(1, tallies[path].calls)]),
					),
					firstProblem: tallies[path].firstProblem ?? null,
				},
			]),
		),
		ratio,
		met,
		phases,
		// Direct rounds fall inside it too; the bridges and the daemon sit idle through them.
		measuredWindow: {...window, daemonCalls: tallies.shared.calls},
	});
	console.log(`wrote ${file}`);
	if (!met) {
		console.log(
			`target missed: ${[
				ratio >= TARGET_RATIO ? '' : `shared ${ratio.toFixed(2)}× direct < ${TARGET_RATIO}×`,
				clean ? '' : 'mismatched or failed replies',
			]
				.filter(Boolean)
				.join('; ')}${context.quick ? ' (quick run: not enforced)' : ''}`,
		);
	}

	return {ok: met, files: [file]};
}

export const throughput: Benchmark = {
	name: 'throughput',
	description: 'calls/s of 8 concurrent sessions calling echo in a closed loop: through bridges and the daemon vs each with its own server',
	options: {
		'--clients=N': 'concurrent sessions (default 8)',
		'--seconds=N': 'measured seconds per path (default 10, quick 2)',
		'--rounds=N': 'rounds the measured time is split into, alternating the paths (default 4, quick 2)',
		'--warmup=N': 'unmeasured calls per session first (default 200, quick 50)',
	},
	run,
};
