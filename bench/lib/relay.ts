import {spawn, type ChildProcess} from 'node:child_process';

/**
 * The proxy's process chain with nothing but byte copying in it: a "bridge" copying stdio to a
 * Unix socket, a "daemon" copying that socket to a stdio server and back. No parsing, no HTTP, no
 * routing: the latency of this chain is the floor any bridge → daemon design pays on this machine.
 */
const RELAY_DAEMON = `
const net = require('node:net'), {spawn} = require('node:child_process');
const [socketPath, command, ...args] = process.argv.slice(1);
const server = spawn(command, args, {stdio: ['pipe', 'pipe', 'ignore']});
let peer;
server.stdout.on('data', data => peer && peer.write(data));
net.createServer(socket => { peer = socket; socket.on('data', data => server.stdin.write(data)); })
	.listen(socketPath, () => process.stdout.write(server.pid + '\\n'));
const stop = () => { server.kill('SIGTERM'); process.exit(0); };
process.on('SIGTERM', stop);
server.on('exit', () => process.exit(1));`;

const RELAY_BRIDGE = `
const socket = require('node:net').connect(process.argv[1]);
process.stdin.on('data', data => socket.write(data));
socket.on('data', data => process.stdout.write(data));
process.stdin.on('end', () => process.exit(0));
socket.on('close', () => process.exit(1));`;

export type RelayDaemon = {readonly child: ChildProcess; readonly serverPid: number; readonly socketPath: string};

/** Starts the relay "daemon" in front of `command args`; resolves once it listens. */
export async function startRelayDaemon(socketPath: string, command: string, args: readonly string[]): Promise<RelayDaemon> {
	const child = spawn(process.execPath, ['-e', RELAY_DAEMON, socketPath, command, ...args], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const serverPid = await new Promise<number>((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', code => reject(new Error(`the relay exited (${code}) before it listened`)));
		child.stdout!.once('data', data => resolve(Number(String(data).trim())));
	});
	child.removeAllListeners('exit');
	return {child, serverPid, socketPath};
}

/** `node` arguments of the relay "bridge" to a relay daemon's socket. */
export function relayBridgeArgs(socketPath: string): string[] {
	return ['-e', RELAY_BRIDGE, socketPath];
}
