import {STATUS_PATH} from '../contract/endpoint.js';
import type {DaemonState} from '../contract/state-file.js';
import type {DaemonStatus} from '../contract/status.js';

/** More than any status or search reply: a process answering with more is not our daemon. */
const MAX_REPLY_BYTES = 8 * 1024 * 1024;

/** A GET of one of the daemon's own JSON endpoints, with its token. */
export async function getJson(state: DaemonState, token: string, path: string, timeoutMs = 3000): Promise<unknown> {
	// Loaded here: a bridge that finds its daemon by its files never asks it over HTTP.
	const {request} = await import('node:http');
	return new Promise((resolve, reject) => {
		const outgoing = request(
			{host: '127.0.0.1', port: state.port, path, headers: {authorization: `Bearer ${token}`}, timeout: timeoutMs},
			response => {
				let body = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => {
					body += chunk;
					if (body.length > MAX_REPLY_BYTES) {
						outgoing.destroy(new Error(`the daemon's reply to ${path} is over ${MAX_REPLY_BYTES} bytes`));
					}
				});
				response.on('end', () => {
					if (response.statusCode !== 200) {
						reject(new Error(`the daemon answered ${path} with HTTP ${response.statusCode}: ${body.trim()}`));
						return;
					}

					try {
						resolve(JSON.parse(body));
					} catch (error) {
						reject(error as Error);
					}
				});
			},
		);
		outgoing.on('error', reject);
		outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer on ${path} within ${timeoutMs} ms`)));
		outgoing.end();
	});
}

/** The daemon's own report on GET `/status`: the one client of that endpoint. */
export async function fetchStatus(state: DaemonState, token: string, timeoutMs = 3000): Promise<DaemonStatus> {
	return (await getJson(state, token, STATUS_PATH, timeoutMs)) as DaemonStatus;
}
