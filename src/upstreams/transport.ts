import {SSEClientTransport} from '@modelcontextprotocol/sdk/client/sse.js';
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js';
import type {ServerSpec} from '../config/schema.js';
import {ProcessTransport, type ProcessTransportOptions} from './child-process-transport.js';

/**
 * The transport that reaches `spec`'s server: its process (stderr to the log file, stdout read
 * within the size limit) or its URL. The daemon and `doctor` both start servers through it, so
 * doctor sees what the daemon would.
 */
export function createTransport(spec: ServerSpec, options: Omit<ProcessTransportOptions, 'name'>): Transport {
	const {transport} = spec;
	if (transport.kind === 'stdio') {
		return new ProcessTransport(transport, {...options, name: spec.name});
	}

	const requestInit = {headers: transport.headers};
	return transport.kind === 'http'
		? new StreamableHTTPClientTransport(new URL(transport.url), {requestInit})
		: new SSEClientTransport(new URL(transport.url), {requestInit});
}
