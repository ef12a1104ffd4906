import type {ProxyConfig, ServerSpec} from './schema.js';
import {SENSITIVE_KEY} from '../shared/log.js';

/** Below this length an env value under an ordinary name is a flag or a count, not a credential. */
const PLAIN_ENV_MIN_LENGTH = 8;

/** `--api-key VALUE`, `-password VALUE`: the next argument is the secret. */
const SECRET_FLAG = /^--?[\w-]*(?:token|secret|passw(?:or)?d|key|credential)$/i;

function envSecrets(env: Record<string, string>): string[] {
	// Paths and URLs are left out: they are how people recognise a server in its errors; a URL's
	// password is caught by the logger's patterns.
	return Object.entries(env)
		.filter(([name, value]) => SENSITIVE_KEY.test(name) || (value.length >= PLAIN_ENV_MIN_LENGTH && !value.includes('/')))
		.map(([, value]) => value);
}

function headerSecrets(headers: Record<string, string>): string[] {
	// "Bearer abc" also appears as "abc" alone, e.g. echoed in an error body.
	return Object.values(headers).flatMap(value => [value, ...(/^\w+\s+(\S+)$/.exec(value)?.slice(1) ?? [])]);
}

function argSecrets(args: readonly string[]): string[] {
	return args.flatMap((arg, index) => (SECRET_FLAG.test(arg) && index + 1 < args.length ? [args[index + 1]!] : []));
}

function serverSecrets(spec: ServerSpec): string[] {
	const {transport} = spec;
	return transport.kind === 'stdio' ? [...envSecrets(transport.env), ...argSecrets(transport.args)] : headerSecrets(transport.headers);
}

/**
 * The config's values that logs, `daemon status` and `doctor` must never show: the servers' env
 * and header values (as expanded) and values given after secret-named flags.
 */
export function configSecrets(config: ProxyConfig): string[] {
	return [...new Set(config.servers.flatMap(serverSecrets))];
}
