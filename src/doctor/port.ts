import {cliCommand} from '../shared/cli-command.js';
import {createServer} from 'node:net';
import type {DaemonState} from '../contract/state-file.js';
import {portHolder} from '../platform/os-processes.js';
import {type CheckResult, fail, ok, warn} from './check.js';

/** What binding the daemon's address would meet: free, or the error code (EADDRINUSE, EACCES). */
async function tryListen(port: number): Promise<{free: true; port: number} | {free: false; code: string}> {
	return new Promise(resolve => {
		const server = createServer();
		server.once('error', (error: NodeJS.ErrnoException) => resolve({free: false, code: error.code ?? error.message}));
		server.listen({port, host: '127.0.0.1', exclusive: true}, () => {
			const bound = (server.address() as {port: number}).port;
			server.close(() => resolve({free: true, port: bound}));
		});
	});
}

export type PortContext = {
	/** The port the settings ask for (MCPPROXY_PORT, or the config's); 0 lets the daemon pick. */
	port: number;
	/** The daemon that answers, if one does. */
	running?: DaemonState;
	/** A daemon whose process lives but does not answer. */
	silent?: DaemonState;
};

export async function checkPort(context: PortContext): Promise<CheckResult> {
	const id = 'port';
	const title = 'Daemon port';
	const {port, running, silent} = context;
	if (running) {
		if (port === 0 || running.port === port) {
			return ok(id, title, `127.0.0.1:${running.port} is held by the mcp-tooling daemon (pid ${running.pid}), as it should be`);
		}

		return warn(
			id,
			title,
			`the daemon (pid ${running.pid}) listens on port ${running.port}, but the settings now say ${port}`,
			`\`${cliCommand('daemon restart')}\` to move it to the configured port (bridges follow by themselves)`,
		);
	}

	if (port === 0) {
		return ok(id, title, 'MCPPROXY_PORT=0: the daemon takes a free port when it starts');
	}

	const probe = await tryListen(port);
	if (probe.free) {
		return ok(id, title, `127.0.0.1:${port} is free for the daemon`);
	}

	if (silent && silent.port === port) {
		return warn(
			id,
			title,
			`127.0.0.1:${port} is held by the mcp-tooling daemon (pid ${silent.pid}), which does not answer`,
			`\`${cliCommand('daemon restart')}\``,
		);
	}

	if (probe.code !== 'EADDRINUSE') {
		return fail(
			id,
			title,
			`cannot listen on 127.0.0.1:${port} (${probe.code})`,
			'set MCPPROXY_PORT to a port above 1023 that is free, e.g. `MCPPROXY_PORT=0` for any free port',
		);
	}

	const holder = portHolder(port);
	const spare = await tryListen(0);
	const suggestion = spare.free ? spare.port : 0;
	return fail(
		id,
		title,
		`127.0.0.1:${port} is in use by another program${holder ? ` (pid ${holder.pid}: ${holder.command})` : ''}, ` +
			'not by the mcp-tooling daemon, so the daemon cannot start',
		`run the daemon on another port: set "settings": {"port": ${suggestion}} in the config file (${suggestion} is free now) ` +
			`and \`${cliCommand('daemon start')}\`, ` +
			'or export MCPPROXY_PORT where Claude Code gets its environment (MCPPROXY_PORT=0 takes any free port); ' +
			`or stop the program holding ${port}`,
	);
}
