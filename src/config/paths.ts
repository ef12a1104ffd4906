import {homedir} from 'node:os';
import {join} from 'node:path';
import {socketPath} from '../platform/socket-path.js';

/** Where every file of one daemon lives; the layout is aitkit's, so existing setups keep working. */
export type Paths = {
	readonly root: string;
	readonly runDir: string;
	/** One file per registered client session, under a folder per daemon name. */
	readonly registrationsDir: string;
	readonly pidFile: string;
	/** Written by the running daemon: port, URL, token file, socket; read by bridges, hooks and the CLI. */
	readonly stateFile: string;
	readonly tokenFile: string;
	/** Held while a caller starts the daemon, so racing callers start exactly one. */
	readonly lockFile: string;
	/** Where bridges reach the daemon: a Unix socket only its owner may use (see `socketPath`). */
	readonly socketFile: string;
	readonly dataDir: string;
	readonly configFile: string;
	readonly logFile: string;
	/** Each upstream server's stderr goes to `<serverLogDir>/<server>.log`. */
	readonly serverLogDir: string;
	/** What each server instance last listed, for lazy starts: `<catalogDir>/<server>.<hash>.json`. */
	readonly catalogDir: string;
};

export const DEFAULT_DAEMON_NAME = 'mcp-user';

export function resolvePaths(name: string = DEFAULT_DAEMON_NAME, env: NodeJS.ProcessEnv = process.env): Paths {
	const root = env.AITKIT_ROOT || join(homedir(), '.aitkit');
	const runDir = join(root, 'run');
	const dataDir = env.MCPPROXY_DATA_DIR || join(root, 'lib', 'mcpproxy');
	return {
		root,
		runDir,
		registrationsDir: join(runDir, 'mcp-servers', name),
		pidFile: join(runDir, `mcp-proxy-${name}.pid`),
		stateFile: join(runDir, `mcp-proxy-${name}.json`),
		tokenFile: join(runDir, `mcp-proxy-${name}.token`),
		lockFile: join(runDir, `mcp-proxy-${name}.lock`),
		socketFile: socketPath(runDir, name, env),
		dataDir,
		configFile: env.MCPPROXY_CONFIG_PATH || join(dataDir, 'mcp_proxy_config.json'),
		logFile: join(dataDir, 'mcp-proxy.log'),
		serverLogDir: join(dataDir, 'servers'),
		catalogDir: join(dataDir, 'catalogs'),
	};
}
