import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {CallToolResultSchema} from '@modelcontextprotocol/sdk/types.js';
import {CpuMeter} from './lib/cpu.js';
import {HttpJsonRpcClient} from './lib/http-jsonrpc.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {relayBridgeArgs, startRelayDaemon} from './lib/relay.js';
import {summarize, type Summary} from './lib/stats.js';
import {formatTable, timingCells} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';
import {BenchWorld, type RunningDaemon} from './lib/world.js';
import {positiveInt} from './lib/options.js';

/** The project's goal: going through the daemon costs at most this many times a direct call (p50). */
const TARGET_RATIO = 2.5;
const MESSAGE = 'hello';
const SERVER_NAME = 'everything';

type PathId = 'direct' | 'daemon-sdk' | 'daemon-http' | 'bridge' | 'relay-floor';

/** The processes a call passes through: the benchmark itself, a bridge, the daemon, the echo server. */
type Role = 'client' | 'bridge' | 'daemon' | 'server';
const ROLES: readonly Role[] = ['client', 'bridge', 'daemon', 'server'];

type Path = {
	readonly id: PathId;
	readonly label: string;
	/** Each process this path's calls go through, by PID, for its CPU time per call. */
	readonly pids: ReadonlyMap<Role, number>;
	/** One `tools/call` of echo, awaited to the end. */
	call(): Promise<void>;
	close(): Promise<void>;
};

const ALL_PATHS: readonly PathId[] = ['direct', 'daemon-sdk', 'daemon-http', 'bridge', 'relay-floor'];

/**
 * Paths whose miss fails a full run. The SDK's HTTP client alone spends more CPU per call than a
 * whole direct call takes (fetch, and a listener per request on one shared AbortSignal), so
 * that path's ratio is shown for information: nothing in the daemon can bring it under the target.
 */
const GATED: ReadonlySet<PathId> = new Set(['daemon-http', 'bridge']);

const LABELS: Record<PathId, string> = {
	direct: 'direct (SDK stdio → server)',
	'daemon-sdk': 'daemon (SDK HTTP client)',
	'daemon-http': 'daemon (keep-alive node:http)',
	bridge: 'bridge → daemon (SDK stdio)',
	'relay-floor': '(floor) byte relay, same chain',
};

type Plan = {warmup: number; calls: number; round: number; paths: PathId[]};

function plan(context: BenchContext): Plan {
	const {options, quick} = context;
	const paths = (options.get('paths')?.split(',') ?? [...ALL_PATHS]).map(path => path.trim()).filter(Boolean);
	for (const path of paths) {
		if (!ALL_PATHS.includes(path as PathId)) {
			throw new Error(`--paths: unknown path "${path}"; the paths are ${ALL_PATHS.join(', ')}`);
		}
	}

	return {
		warmup: positiveInt(options, 'warmup', quick ? 50 : 200),
		calls: positiveInt(options, 'calls', quick ? 300 : 2000),
		round: positiveInt(options, 'round', quick ? 100 : 200),
		paths: paths as PathId[],
	};
}

function echoText(result: unknown): string | undefined {
	const content = (result as {content?: Array<{type: string; text?: string}>}).content;
	return content?.find(item => item.type === 'text')?.text;
}

/** The echo tool's name as a client of this path sees it (the daemon namespaces it). */
function findEcho(tools: ReadonlyArray<{name: string}>): string {
	const name = tools.map(tool => tool.name).find(tool => tool === 'echo' || tool.endsWith('__echo'));
	if (!name) {
		throw new Error(`no echo tool among: ${tools.map(tool => tool.name).join(', ')}`);
	}

	return name;
}

function pidMap(entries: Array<[Role, number | undefined]>): Map<Role, number> {
	return new Map(entries.filter((entry): entry is [Role, number] => entry[1] !== undefined));
}

function daemonRoles(daemon: RunningDaemon): Array<[Role, number | undefined]> {
	return [
		['client', process.pid],
		['daemon', daemon.pid],
		['server', daemon.upstreamPids[0]],
	];
}

/** A path driven by the SDK's `Client`, whatever its transport. */
async function sdkPath(
	id: PathId,
	transport: StdioClientTransport | StreamableHTTPClientTransport,
	world: BenchWorld,
	roles: (spawned: number | undefined) => Array<[Role, number | undefined]>,
): Promise<Path> {
	const client = new Client({name: `mcp-tooling-bench-${id}`, version: '0.0.0'});
	await client.connect(transport);
	const spawned = transport instanceof StdioClientTransport ? (transport.pid ?? undefined) : undefined;
	world.adopt(spawned);

	const name = findEcho((await client.listTools()).tools);
	const params = {name, arguments: {message: MESSAGE}};
	const first = echoText(await client.request({method: 'tools/call', params}, CallToolResultSchema));
	if (!first?.includes(MESSAGE)) {
		throw new Error(`${id}: echo answered ${JSON.stringify(first)}`);
	}

	return {
		id,
		label: LABELS[id],
		pids: pidMap(roles(spawned)),
		async call() {
			await client.request({method: 'tools/call', params}, CallToolResultSchema);
		},
		async close() {
			if (transport instanceof StreamableHTTPClientTransport) {
				await transport.terminateSession().catch(() => undefined);
			}

			await client.close();
		},
	};
}

async function httpPath(daemon: RunningDaemon): Promise<Path> {
	const client = new HttpJsonRpcClient(daemon.url, daemon.token);
	await client.connect();
	const name = findEcho(((await client.request('tools/list', {})) as {tools: Array<{name: string}>}).tools);
	const params = {name, arguments: {message: MESSAGE}};
	const first = echoText(await client.request('tools/call', params));
	if (!first?.includes(MESSAGE)) {
		throw new Error(`daemon-http: echo answered ${JSON.stringify(first)}`);
	}

	return {
		id: 'daemon-http',
		label: LABELS['daemon-http'],
		pids: pidMap(daemonRoles(daemon)),
		async call() {
			await client.request('tools/call', params);
		},
		async close() {
			await client.close();
		},
	};
}

/** `node` options that write a .cpuprofile into `dir` on exit; 250 µs between samples resolves sub-millisecond calls. */
function cpuProfileArgs(dir: string | undefined): string[] {
	return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250'] : [];
}

async function openPath(
	id: PathId,
	world: BenchWorld,
	daemon: RunningDaemon | undefined,
	serverScript: string,
	profileDir: string | undefined,
): Promise<Path> {
	switch (id) {
		case 'direct': {
			const transport = new StdioClientTransport({
				command: process.execPath,
				args: [serverScript, 'stdio'],
				stderr: 'ignore',
			});
			return sdkPath(id, transport, world, server => [
				['client', process.pid],
				['server', server],
			]);
		}

		case 'daemon-sdk': {
			const transport = new StreamableHTTPClientTransport(new URL(daemon!.url), {
				requestInit: {headers: {authorization: `Bearer ${daemon!.token}`}},
			});
			return sdkPath(id, transport, world, () => daemonRoles(daemon!));
		}

		case 'daemon-http': {
			return httpPath(daemon!);
		}

		case 'relay-floor': {
			// Reference, not the product: the bridge → daemon → server chain copying bytes and nothing else.
			const relay = await startRelayDaemon(join(world.root, 'relay.sock'), process.execPath, [serverScript, 'stdio']);
			world.adopt(relay.child.pid);
			world.adopt(relay.serverPid);
			const transport = new StdioClientTransport({
				command: process.execPath,
				args: relayBridgeArgs(relay.socketPath),
				stderr: 'inherit',
			});
			const path = await sdkPath(id, transport, world, bridge => [
				['client', process.pid],
				['bridge', bridge],
				['daemon', relay.child.pid],
				['server', relay.serverPid],
			]);
			return {
				...path,
				async close() {
					await path.close();
					relay.child.kill('SIGTERM');
				},
			};
		}

		case 'bridge': {
			// The bridge finds the running daemon through the state file under AITKIT_ROOT, as under Claude Code.
			const args = [...cpuProfileArgs(profileDir), world.bridge];
			const transport = new StdioClientTransport({command: process.execPath, args, env: world.env, stderr: 'inherit'});
			return sdkPath(id, transport, world, bridge => [...daemonRoles(daemon!), ['bridge', bridge]]);
		}
	}
}

async function drive(path: Path, count: number, into?: number[]): Promise<void> {
	for (let index = 0; index < count; index++) {
		const start = performance.now();
		await path.call();
		into?.push(performance.now() - start);
	}
}

/** CPU time per call, in microseconds, of each process a path goes through. */
type CpuPerCall = Partial<Record<Role | 'total', number>>;

type PathResult = {
	id: PathId;
	label: string;
	summary: Summary;
	ratioP50: number | null;
	meetsTarget: boolean | null;
	/** Whether missing the target fails a full run. */
	gated: boolean;
	cpuMicrosPerCall: CpuPerCall;
};

function cpuPerCall(meter: CpuMeter<Role>, calls: number): CpuPerCall {
	const perCall: CpuPerCall = {};
	let total = 0;
	for (const [role, millis] of meter.totals()) {
		perCall[role] = (millis * 1000) / calls;
		total += millis;
	}

	perCall.total = (total * 1000) / calls;
	return perCall;
}

function printTables(results: readonly PathResult[], hasDirect: boolean): void {
	console.log();
	console.log(
		formatTable(
			['path', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'p50 ÷ direct', `target p50 ≤ ${TARGET_RATIO}× direct`],
			results.map(({id, label, summary, ratioP50, meetsTarget}) => [
				label,
				...timingCells(summary),
				ratioP50 === null ? (id === 'direct' ? '1.00×' : '-') : `${ratioP50.toFixed(2)}×`,
				id === 'direct'
					? '(baseline)'
					: id === 'relay-floor'
						? '(reference)'
						: meetsTarget === null
							? '(needs direct)'
							: `${meetsTarget ? 'met' : 'MISSED'}${GATED.has(id) ? '' : ' (info only)'}`,
			]),
			['left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
		),
	);
	console.log();
	const micros = (value: number | undefined) => (value === undefined ? '-' : value.toFixed(0));
	console.log('CPU time per call (µs, from /proc/PID/task/*/schedstat, over the measured calls):');
	console.log(
		formatTable(
			['path', ...ROLES, 'total'],
			results.map(({label, cpuMicrosPerCall}) => [label, ...[...ROLES, 'total' as const].map(role => micros(cpuMicrosPerCall[role]))]),
			['left', 'right', 'right', 'right', 'right', 'right'],
		),
	);
	console.log();
	if (!hasDirect) {
		console.log('(no direct path measured: no ratios)');
	}
}

async function run(context: BenchContext): Promise<BenchOutcome> {
	const {warmup, calls, round, paths: ids} = plan(context);
	const machine = describeMachine();
	const serverScript = join(context.repo, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
	const rounds = Math.ceil(calls / round);
	console.log(
		`latency: sequential tools/call of server-everything's echo; ` +
			`${warmup} warm-up calls, then ${calls} calls per path in rounds of ${round}, interleaved`,
	);
	console.log(`machine: ${machineLine(machine)}`);

	const world = new BenchWorld(context.repo);
	const opened: Path[] = [];
	const samples = new Map<PathId, number[]>(ids.map(id => [id, []]));
	const meters = new Map<PathId, CpuMeter<Role>>();
	/** The measured phase on the system's monotonic clock (µs), the clock of V8's .cpuprofile timestamps. */
	const window = {startMicros: 0, endMicros: 0};
	const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);
	try {
		let daemon: RunningDaemon | undefined;
		if (ids.some(id => id !== 'direct' && id !== 'relay-floor')) {
			world.writeConfig({[SERVER_NAME]: {command: process.execPath, args: [serverScript, 'stdio']}});
			daemon = await world.startDaemon({nodeArgs: cpuProfileArgs(context.profileDir)});
			console.log(`daemon: pid ${daemon.pid} at ${daemon.url}${context.profileDir ? ` (profiling into ${context.profileDir})` : ''}`);
		}

		for (const id of ids) {
			const path = await openPath(id, world, daemon, serverScript, context.profileDir);
			opened.push(path);
			if (context.profileDir && id === 'bridge') {
				console.log(`bridge: pid ${path.pids.get('bridge')} (profiling into ${context.profileDir})`);
			}

			meters.set(id, new CpuMeter(path.pids));
		}

		for (const path of opened) {
			await drive(path, warmup);
		}

		window.startMicros = monotonicMicros();
		for (let index = 0; index < rounds; index++) {
			const count = Math.min(round, calls - index * round);
			// Each round starts with another path, so none always follows the same neighbour.
			for (let step = 0; step < opened.length; step++) {
				const path = opened[(index + step) % opened.length]!;
				await meters.get(path.id)!.measure(async () => drive(path, count, samples.get(path.id)));
			}
		}

		window.endMicros = monotonicMicros();
	} finally {
		for (const path of opened) {
			await path.close().catch((error: unknown) => process.stderr.write(`bench: closing ${path.id}: ${String(error)}\n`));
		}

		await world.dispose();
	}

	const direct = samples.has('direct') ? summarize(samples.get('direct')!) : undefined;
	const results: PathResult[] = ids.map(id => {
		const summary = summarize(samples.get(id)!);
		const ratioP50 = direct && id !== 'direct' ? summary.p50 / direct.p50 : null;
		return {
			id,
			label: LABELS[id],
			summary,
			ratioP50,
			meetsTarget: ratioP50 === null || id === 'relay-floor' ? null : ratioP50 <= TARGET_RATIO,
			gated: GATED.has(id),
			cpuMicrosPerCall: cpuPerCall(meters.get(id)!, summary.n),
		};
	});
	printTables(results, direct !== undefined);

	const round3 = (value: number) => Math.round(value * 1000) / 1000;
	const file = writeResults(context, 'latency', {
		benchmark: 'latency',
		machine,
		quick: context.quick,
		plan: {warmup, calls, round, rounds, message: MESSAGE, paths: ids},
		// For `profile-summary.ts --window=bench/out/latency.json`: only the measured calls.
		measuredWindow: {
			...window,
			daemonCalls: calls * ids.filter(id => id !== 'direct' && id !== 'relay-floor').length,
		},
		target: {metric: 'p50', maxRatioToDirect: TARGET_RATIO, gated: [...GATED]},
		results,
		samplesMs: Object.fromEntries(ids.map(id => [id, samples.get(id)!.map(round3)])),
	});
	console.log(`wrote ${file}`);
	const missed = results.filter(result => result.meetsTarget === false && result.gated);
	if (missed.length > 0) {
		console.log(
			`target missed (p50 > ${TARGET_RATIO}× direct) by: ${missed.map(result => result.id).join(', ')}` +
				`${context.quick ? ' (quick run: not enforced)' : ''}`,
		);
	}

	return {ok: missed.length === 0, files: [file]};
}

export const latency: Benchmark = {
	name: 'latency',
	description: 'p50/p90/p99 of sequential echo tools/call: direct stdio vs the daemon (SDK and raw HTTP clients) vs bridge → daemon',
	options: {
		'--calls=N': 'measured calls per path (default 2000, quick 300)',
		'--round=N': 'calls per path per round; rounds interleave the paths (default 200, quick 100)',
		'--warmup=N': 'unmeasured calls per path first (default 200, quick 50)',
		'--paths=a,b': `which paths to measure (default all: ${ALL_PATHS.join(',')})`,
	},
	run,
};
