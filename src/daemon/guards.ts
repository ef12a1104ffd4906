import {cliCommand} from '../shared/cli-command.js';
import type {IncomingMessage} from 'node:http';
import {sameSecret} from './same-secret.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function hostname(hostWithPort: string): string {
	return hostWithPort.startsWith('[') ? hostWithPort.slice(0, hostWithPort.indexOf(']') + 1) : hostWithPort.split(':')[0]!;
}

export type Refusal = {status: number; message: string; headers?: Record<string, string>};

/**
 * A web page can make a browser send requests to loopback (DNS rebinding); such requests carry
 * a foreign `Host` or `Origin`, and the bearer token keeps out everything else on the machine.
 */
export function refuse(request: IncomingMessage, token: string): Refusal | undefined {
	const host = request.headers.host;
	if (!host || !LOOPBACK_HOSTS.has(hostname(host).toLowerCase())) {
		return {status: 403, message: `Forbidden: Host "${host ?? ''}" is not a loopback address.`};
	}

	const origin = request.headers.origin;
	if (origin !== undefined) {
		let originHost: string | undefined;
		try {
			originHost = new URL(origin).host;
		} catch {}

		if (!originHost || !LOOPBACK_HOSTS.has(hostname(originHost).toLowerCase())) {
			return {status: 403, message: `Forbidden: Origin "${origin}" is not a loopback origin.`};
		}
	}

	if (!sameSecret(request.headers.authorization ?? '', `Bearer ${token}`)) {
		return {
			status: 401,
			message: `Unauthorized: send "Authorization: Bearer <token>"; \`${cliCommand('daemon status --json')}\` names the token file.`,
			headers: {'www-authenticate': 'Bearer realm="mcp-tooling"'},
		};
	}

	return undefined;
}
