import {readFileSync} from 'node:fs';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {configSecrets} from '../src/config/secrets.js';
import {parseConfig} from '../src/config/load.js';
import {Logger, REDACTED} from '../src/shared/log.js';
import {eventually, type World} from './support/daemon.js';
import {lifecycleWorld, runCli} from './support/lifecycle.js';

// Nothing the daemon writes — its log, `daemon status` — may show a credential.

function capture(): {log: Logger; lines: string[]} {
	const lines: string[] = [];
	return {log: new Logger('test', line => lines.push(line), 'debug'), lines};
}

describe('the logger', () => {
	it('hides the secrets it was told, in messages and fields, also through its children', () => {
		const {log, lines} = capture();
		log.addSecrets(['daemon-bearer-token-0123456789', 'ab']);
		log.child('proxy').error('rejected daemon-bearer-token-0123456789', {
			server: 'x',
			error: 'echo: daemon-bearer-token-0123456789!',
			note: 'ab stays',
		});
		expect(lines[0]).not.toContain('daemon-bearer-token-0123456789');
		expect(lines[0]).toContain(`proxy rejected ${REDACTED} server=x error="echo: ${REDACTED}!" note="ab stays"`);
	});

	it('hides every field whose name says it holds a credential, nested ones too', () => {
		const {log, lines} = capture();
		log.info('request', {
			token: 'abc',
			apiKey: 'def',
			Authorization: 'ghi',
			password: 'jkl',
			headers: {'x-secret-thing': 'mno', accept: 'json'},
			server: 'kept',
		});
		expect(lines[0]).toContain(`token=${REDACTED} apiKey=${REDACTED} Authorization=${REDACTED} password=${REDACTED}`);
		// An object field is written as quoted JSON.
		expect(lines[0]).toContain(`\\"x-secret-thing\\":\\"${REDACTED}\\"`);
		expect(lines[0]).toContain('\\"accept\\":\\"json\\"');
		expect(lines[0]).toContain('server=kept');
		expect(lines[0]).not.toMatch(/abc|def|ghi|jkl|mno/);
	});

	it('hides text shaped like a credential in free text', () => {
		const {log, lines} = capture();
		log.warn('server down', {
			error:
				'HTTP 401: Authorization: Bearer eyJhbGciOi.payload.sig; retry with API_KEY=hunter2 or ?access_token=zzz&x=1 ' +
				'at https://bob:pa55@example.com/ using sk-ant-api03-abcdef ghp_0123456789abcdefghijABCDEFGHIJ',
		});
		const line = lines[0]!;
		for (const secret of ['eyJhbGciOi', 'hunter2', 'zzz', 'pa55', 'sk-ant-api03-abcdef', 'ghp_0123456789']) {
			expect(line).not.toContain(secret);
		}

		expect(line).toContain(`Bearer ${REDACTED}`);
		expect(line).toContain(`API_KEY=${REDACTED}`);
		expect(line).toContain(`https://bob:${REDACTED}@example.com/`);
		expect(line).toContain('&x=1');
	});

	it('learns the secrets of a config: env values, header values, values after secret flags', () => {
		const config = parseConfig(
			JSON.stringify({
				mcpServers: {
					a: {
						command: 'x',
						args: ['--api-key', 'flag-secret-value', '--verbose'],
						env: {API_KEY: 'sk-secret-123', DEBUG: '1', HOME_DIR: '/home/somebody/data', OPAQUE: 'opaque-value-77'},
					},
					b: {type: 'http', url: 'https://example.com/mcp', headers: {Authorization: 'Bearer hdr-secret'}},
				},
			}),
			'config.json',
			{},
		);
		const secrets = configSecrets(config);
		expect(secrets).toEqual(
			expect.arrayContaining(['sk-secret-123', 'opaque-value-77', 'flag-secret-value', 'Bearer hdr-secret', 'hdr-secret']),
		);
		// Flags, counts and paths are how people recognise a server in its errors.
		expect(secrets).not.toContain('1');
		expect(secrets).not.toContain('/home/somebody/data');
	});
});

describe('a daemon whose servers carry secrets and fail', () => {
	let world: World;
	let echo: Server;

	afterEach(async () => {
		await world.dispose();
		await new Promise(resolve => echo.close(resolve));
	});

	it('writes neither them nor its bearer token to its log or to `daemon status`', async () => {
		// A remote server that rejects the request and, like some gateways, echoes what it got.
		echo = createServer((request, response) => {
			request.resume();
			response.writeHead(401, {'content-type': 'text/plain'}).end(`invalid credentials: Authorization: ${request.headers.authorization}`);
		});
		await new Promise<void>(resolve => echo.listen(0, '127.0.0.1', resolve));
		world = lifecycleWorld();
		world.writeConfig({
			mcpServers: {
				// Prints its key, then fails.
				leaky: {
					command: 'sh',
					args: ['-c', 'echo "starting with key $API_KEY" >&2; exit 1'],
					env: {API_KEY: 'sk-secret-123'},
				},
				remote: {
					type: 'http',
					url: `http://127.0.0.1:${(echo.address() as AddressInfo).port}/mcp`,
					headers: {Authorization: 'Bearer hdr-secret'},
				},
			},
		});
		const started = await runCli(world, ['daemon', 'start', '--no-wait'], {MCPPROXY_LOG_LEVEL: 'debug'});
		expect(started.code, started.stderr).toBe(0);
		await eventually(
			async () => {
				const status = JSON.parse((await runCli(world, ['daemon', 'status', '--json'])).stdout) as {
					servers: Array<{restarts: number}>;
				};
				return status.servers.length === 2 && status.servers.every(server => server.restarts >= 2);
			},
			30_000,
			'both servers to fail twice',
		);

		const json = await runCli(world, ['daemon', 'status', '--json']);
		const table = await runCli(world, ['daemon', 'status']);
		// Both must show the servers, or their want of secrets would prove nothing.
		for (const status of [json, table]) {
			expect(status.code, status.stderr).toBe(0);
			expect(status.stdout).toContain('leaky');
			expect(status.stdout).toContain('remote');
		}

		const log = readFileSync(world.logFile, 'utf8');
		expect(log).toMatch(/WARN {2}proxy server down, will restart server=leaky/);
		expect(log).toMatch(/WARN {2}proxy server down, will restart server=remote/);
		const token = world.token();
		for (const [what, text] of [
			['log', log],
			['status --json', json.stdout],
			['status', table.stdout],
		] as const) {
			for (const secret of ['sk-secret-123', 'hdr-secret', token]) {
				expect(text.includes(secret), `${what} shows ${secret}`).toBe(false);
			}
		}
	});
});
