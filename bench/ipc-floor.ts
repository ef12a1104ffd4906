import {spawn, type ChildProcess} from 'node:child_process';
import {Agent, request} from 'node:http';
import {connect, type Socket} from 'node:net';
import {performance} from 'node:perf_hooks';
import {CpuMeter} from './lib/cpu.js';
import {describeMachine, machineLine} from './lib/machine.js';
import {summarize} from './lib/stats.js';
import {formatTable, timingCells} from './lib/table.js';
import {writeResults} from './lib/results.js';
import type {BenchContext, BenchOutcome, Benchmark} from './lib/types.js';

/**
 * What one round trip between two Node processes costs on each transport, with no MCP at all: the
 * floor under every hop the proxy adds (client → bridge → daemon → server and back).
 */

const MESSAGE = `${JSON.stringify({
	jsonrpc: '2.0',
	id: 1,
	method: 'tools/call',
	params: {name: 'everything__echo', arguments: {message: 'hello'}},
})}`;

/** A child that answers each line on stdin with the same line on stdout. */
const PIPE_ECHO =
	`process.stdin.setEncoding('utf8');let b='';` +
	`process.stdin.on('data',c=>{b+=c;let i;while((i=b.indexOf('\\n'))>=0){process.stdout.write(b.slice(0,i+1));b=b.slice(i+1)}})`;

/** A child serving both an HTTP echo (the body back as JSON) and a line echo over TCP; prints both ports. */
const SERVERS =
	`
const http=require('node:http'),net=require('node:net');
const h=http.createServer((q,s)=>{const c=[];q.on('data',d=>c.push(d));` +
	`q.on('end',()=>{const b=Buffer.concat(c);s.writeHead(200,{'content-type':'application/json','content-length':b.length});s.end(b)})});
const t=net.createServer(s=>s.pipe(s));
h.listen(0,'127.0.0.1',()=>t.listen(0,'127.0.0.1',()=>process.stdout.write(h.address().port+' '+t.address().port+'\\n')));
process.stdin.on('end',()=>process.exit(0));process.stdin.resume();`;

type Transport = {id: string; label: string; peer: number; roundTrip(): Promise<void>};

/** Resolves with each complete line a stream delivers, one waiter at a time. */
function lineReader(stream: NodeJS.ReadableStream): () => Promise<void> {
	let buffered = '';
	let waiting: (() => void) | undefined;
	stream.setEncoding('utf8');
	stream.on('data', (chunk: string) => {
		buffered += chunk;
		const newline = buffered.indexOf('\n');
		if (newline >= 0 && waiting) {
			buffered = buffered.slice(newline + 1);
			const resolve = waiting;
			waiting = undefined;
			resolve();
		}
	});
	return async () =>
		new Promise<void>(resolve => {
			waiting = resolve;
		});
}

async function run(context: BenchContext): Promise<BenchOutcome> {
	const calls = context.quick ? 300 : 3000;
	const round = context.quick ? 100 : 300;
	const warmup = context.quick ? 100 : 300;
	const machine = describeMachine();
	console.log(
		`ipc-floor: round trips of a ${MESSAGE.length}-byte JSON line between two node processes; ` +
			`${warmup} warm-up, ${calls} per transport in rounds of ${round}, interleaved`,
	);
	console.log(`machine: ${machineLine(machine)}`);

	const children: ChildProcess[] = [];
	const agent = new Agent({keepAlive: true, maxSockets: 1});
	let socket: Socket | undefined;
	const samples = new Map<string, number[]>();
	try {
		const pipeChild = spawn(process.execPath, ['-e', PIPE_ECHO], {stdio: ['pipe', 'pipe', 'inherit']});
		children.push(pipeChild);
		const pipeLine = lineReader(pipeChild.stdout!);

		const servers = spawn(process.execPath, ['-e', SERVERS], {stdio: ['pipe', 'pipe', 'inherit']});
		children.push(servers);
		const [httpPort, tcpPort] = await new Promise<number[]>((resolve, reject) => {
			servers.once('error', reject);
			servers.stdout!.once('data', data => resolve(String(data).trim().split(' ').map(Number)));
		});
		const tcp = connect({host: '127.0.0.1', port: tcpPort!});
		socket = tcp;
		tcp.setNoDelay(true);
		await new Promise<void>((resolve, reject) => tcp.once('connect', resolve).once('error', reject));
		const tcpLine = lineReader(tcp);

		const transports: Transport[] = [
			{
				id: 'pipe',
				label: 'stdio pipe, line echo',
				peer: pipeChild.pid!,
				async roundTrip() {
					const answered = pipeLine();
					pipeChild.stdin!.write(`${MESSAGE}\n`);
					await answered;
				},
			},
			{
				id: 'tcp',
				label: 'loopback TCP, line echo',
				peer: servers.pid!,
				async roundTrip() {
					const answered = tcpLine();
					tcp.write(`${MESSAGE}\n`);
					await answered;
				},
			},
			{
				id: 'http',
				label: 'node:http keep-alive POST',
				peer: servers.pid!,
				async roundTrip() {
					await new Promise<void>((resolve, reject) => {
						const outgoing = request(
							{
								host: '127.0.0.1',
								port: httpPort,
								method: 'POST',
								path: '/',
								agent,
								headers: {'content-type': 'application/json', 'content-length': Buffer.byteLength(MESSAGE)},
							},
							response => {
								response.resume();
								response.on('end', resolve);
							},
						);
						outgoing.on('error', reject);
						outgoing.end(MESSAGE);
					});
				},
			},
		];
		const meters = new Map(
			transports.map(transport => [
				transport.id,
				new CpuMeter(
					new Map([
						['client', process.pid],
						['peer', transport.peer],
					]),
				),
			]),
		);
		for (const transport of transports) {
			samples.set(transport.id, []);
			for (let index = 0; index < warmup; index++) {
				await transport.roundTrip();
			}
		}

		for (let index = 0; index * round < calls; index++) {
			for (let step = 0; step < transports.length; step++) {
				const transport = transports[(index + step) % transports.length]!;
				const into = samples.get(transport.id)!;
				await meters.get(transport.id)!.measure(async () => {
					for (let count = 0; count < Math.min(round, calls - index * round); count++) {
						const start = performance.now();
						await transport.roundTrip();
						into.push(performance.now() - start);
					}
				});
			}
		}

		const results = transports.map(({id, label}) => {
			const summary = summarize(samples.get(id)!);
			const cpu = meters.get(id)!.totals();
			const perCall = (role: string) => ((cpu.get(role) ?? Number.NaN) * 1000) / summary.n;
			return {id, label, summary, cpuMicrosPerCall: {client: perCall('client'), peer: perCall('peer')}};
		});
		console.log();
		console.log(
			formatTable(
				['transport', 'n', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'CPU µs/trip: client', 'peer'],
				results.map(({label, summary, cpuMicrosPerCall}) => [
					label,
					...timingCells(summary),
					cpuMicrosPerCall.client.toFixed(0),
					cpuMicrosPerCall.peer.toFixed(0),
				]),
				['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
			),
		);
		console.log();
		const file = writeResults(context, 'ipc-floor', {
			benchmark: 'ipc-floor',
			machine,
			quick: context.quick,
			plan: {warmup, calls, round},
			results,
		});
		console.log(`wrote ${file}`);
		return {ok: true, files: [file]};
	} finally {
		socket?.destroy();
		agent.destroy();
		for (const child of children) {
			child.stdin?.end();
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
			}
		}
	}
}

export const ipcFloor: Benchmark = {
	name: 'ipc-floor',
	description: 'round trip between two node processes over a pipe, loopback TCP and node:http: the cost floor of each proxy hop',
	run,
};
