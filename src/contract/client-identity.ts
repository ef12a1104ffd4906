import {isValidPid} from '../platform/os-processes.js';

/** Who a bridge says it serves; plain SDK clients leave it empty. */
export type ClientIdentity = {clientPid?: number; sessionId?: string; projectDir?: string};

/** A client's word on whom it serves, as far as it makes sense: what does not is left out. */
export function clientIdentity(said: {clientPid?: unknown; sessionId?: unknown; projectDir?: unknown}): ClientIdentity {
	const clientPid = Number(said.clientPid);
	return {
		clientPid: isValidPid(clientPid) ? clientPid : undefined,
		sessionId: typeof said.sessionId === 'string' ? said.sessionId : undefined,
		projectDir: typeof said.projectDir === 'string' ? said.projectDir : undefined,
	};
}
