import {cliCommand} from '../shared/cli-command.js';
import {mkdirSync} from 'node:fs';
import {loadConfig} from '../config/load.js';
import {configSecrets} from '../config/secrets.js';
import {DEFAULT_DAEMON_NAME, resolvePaths, type Paths} from '../config/paths.js';
import type {ProxyConfig} from '../config/schema.js';
import {MCP_PATH} from '../contract/endpoint.js';
import {writeState, type DaemonState} from '../contract/state-file.js';
import {ensureToken} from '../contract/token-file.js';
import {unlinkIfExists} from '../shared/atomic-file.js';
import {daemonProcess, removePidFileIfOwned, writePidFile} from '../lifecycle/pid-file.js';
import {rotateLogs} from '../lifecycle/log-file.js';
import {endOrphanedServers, ServersRecorder, serversFile} from '../lifecycle/orphans.js';
import {currentIdentity} from '../platform/os-processes.js';
import {ensureSocketDir} from '../platform/socket-path.js';
import {Refcount} from '../lifecycle/refcount.js';
import {Logger} from '../shared/log.js';
import {VERSION} from '../version.js';
import {watchConfig} from './config-watcher.js';
import {CatalogStore} from '../upstreams/catalog-store.js';
import {Daemon} from './daemon.js';
import {demoConfig} from './demo-config.js';
import {startHttpServer} from './http-server.js';
import {startSocketServer} from './socket-server.js';

export type RunOptions = {
	name: string;
	demo?: boolean;
	/** Keep running with no sessions, instead of stopping after the linger period. */
	stay?: boolean;
	/** Told once the endpoint answers, e.g. to print how to connect. */
	onReady?: (state: DaemonState) => void;
};

const LOG_CHECK_MS = 60_000;
/** How often the servers' pids are recorded for a successor (see ServersRecorder); a restart changes them. */
const SERVERS_RECORD_MS = 500;

/**
 * The daemon process from start to exit; resolves once it has stopped: config, token, endpoint, pid and state files, the
 * upstream servers, and an orderly stop on SIGTERM/SIGINT that leaves no process or file behind.
 */
export async function runDaemon(options: RunOptions): Promise<void> {
	const paths = resolvePaths(options.name);
	// Beside a running daemon of its name, this one would take over its socket and cut off its bridges.
	const running = daemonProcess(paths.pidFile);
	if (running && running.pid !== process.pid) {
		const named = options.name === DEFAULT_DAEMON_NAME ? '' : ` ${options.name}`;
		throw new Error(
			`mcp-tooling daemon "${options.name}" is already running (pid ${running.pid}); a second one would take its sessions' socket. ` +
				`Use the running one (\`${cliCommand(`daemon status${named}`)}\`), or stop it first (\`${cliCommand(`daemon stop${named}`)}\`).`,
		);
	}

	const config: ProxyConfig = options.demo ? demoConfig() : loadConfig(paths.configFile);
	const {settings} = config;
	mkdirSync(paths.runDir, {recursive: true, mode: 0o700});
	mkdirSync(paths.dataDir, {recursive: true, mode: 0o700});
	ensureSocketDir(paths.socketFile, paths.runDir);
	const log = new Logger('daemon');
	const token = ensureToken(paths.tokenFile);
	// Nothing the daemon writes (log, status) may show the token or a secret from the config.
	log.addSecrets([token, ...configSecrets(config)]);
	const catalogs = new CatalogStore(paths.catalogDir, settings.maxMessageBytes, log.child('catalogs'));
	if (!options.demo) {
		// Entries removed while no daemon ran leave catalogs that nothing would read or drop.
		const configured = new Set(config.servers.map(spec => spec.name));
		catalogs.forget(server => !configured.has(server));
	}
	const daemon = new Daemon(config, settings, {logDir: paths.serverLogDir, catalogs}, log.child('proxy'));
	// Every session shares this process: a fault that escaped the containment of its own connection
	// (each transport resets the connection whose traffic threw) is logged, and the others go on.
	process.on('uncaughtException', error => log.error('uncaught exception; the daemon goes on', {error: error.stack ?? error.message}));
	process.on('unhandledRejection', error =>
		log.error('unhandled rejection; the daemon goes on', {error: String((error as Error)?.stack ?? error)}),
	);

	let http: Awaited<ReturnType<typeof startHttpServer>>;
	try {
		http = await startHttpServer(daemon, {
			port: settings.port,
			token,
			maxBodyBytes: settings.maxBodyBytes,
			maxMessageBytes: settings.maxMessageBytes,
			log: log.child('http'),
		});
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
			throw new Error(
				`Port ${settings.port} on 127.0.0.1 is already in use by another program, not by mcp-tooling daemon "${options.name}". ` +
					'Set MCPPROXY_PORT to a free port (or MCPPROXY_PORT=0 to let the daemon pick one) and start again.',
			);
		}

		throw error;
	}

	const identity = currentIdentity();
	const socket = await startSocketServer(
		paths.socketFile,
		{token, maxMessageBytes: settings.maxMessageBytes, log: log.child('socket')},
		async (identity, transport) => daemon.openSession(identity, transport),
	);
	const state: DaemonState = {
		...identity,
		name: options.name,
		version: VERSION,
		port: http.port,
		url: `http://127.0.0.1:${http.port}${MCP_PATH}`,
		tokenFile: paths.tokenFile,
		socket: paths.socketFile,
		configFile: config.file,
		startedAt: new Date().toISOString(),
		maxMessageBytes: settings.maxMessageBytes,
	};
	writeState(paths.stateFile, state);
	writePidFile(paths.pidFile, {...identity, name: options.name, version: VERSION});
	const orphans = endOrphanedServers(serversFile(paths));
	if (orphans.length > 0) {
		log.warn('ended servers a killed daemon had left running', {pids: orphans.join(',')});
	}

	const recorder = new ServersRecorder(serversFile(paths), identity);
	const recordServers = () =>
		recorder.update(daemon.instances.all().map(upstream => ({pid: upstream.pid, ready: upstream.state === 'ready'})));
	daemon.start();
	// The built-in demo config has no file to edit.
	const unwatch = options.demo ? () => undefined : watchConfig(config.file, () => daemon.reload(tryLoad(config.file)));
	recordServers();
	const recording = setInterval(recordServers, SERVERS_RECORD_MS).unref();
	log.info('listening', {url: state.url, pid: identity.pid, config: config.file, servers: config.servers.length});
	if (!config.exists) {
		log.warn('no config file: serving no servers', {
			config: config.file,
			fix: 'create it, in the mcpServers format of .mcp.json',
		});
	}

	options.onReady?.(state);
	const rotation = setInterval(() => rotateLogs(paths.logFile, paths.serverLogDir), LOG_CHECK_MS).unref();

	const reason = await new Promise<string>(resolve => {
		for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
			process.once(signal, () => resolve(signal));
		}

		if (!options.stay) {
			const refcount = new Refcount({
				registrationsDir: paths.registrationsDir,
				lingerMs: settings.lingerMs,
				connections: () => [...daemon.sessions.values()].filter(session => session.channel.connected).length,
				onUnused: () => resolve(`no sessions for ${settings.lingerMs / 1000} s`),
			});
			daemon.onSessionsChanged = () => refcount.check();
			refcount.start();
		}
	});
	clearInterval(rotation);
	unwatch();
	clearInterval(recording);
	log.info('stopping', {reason});
	http.server.close();
	http.server.closeAllConnections();
	socket.close();
	await daemon.stop();
	recorder.clear();
	removeFiles(paths, identity);
	log.info('stopped');
}

function tryLoad(file: string): ProxyConfig | Error {
	try {
		return loadConfig(file);
	} catch (error) {
		return error instanceof Error ? error : new Error(String(error));
	}
}

function removeFiles(paths: Paths, identity: ReturnType<typeof currentIdentity>): void {
	if (removePidFileIfOwned(paths.pidFile, identity)) {
		unlinkIfExists(paths.stateFile);
		unlinkIfExists(paths.socketFile);
	}
}
