import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js';
import {isRecord} from './is-record.js';

/**
 * A reply as the SDK will take it. The SDK drops a message that fails its schema with no more than
 * an error event, so a reply whose `result` is a string left its request waiting until it timed
 * out; such a reply becomes an error reply to the same id, saying what was wrong and who sent it.
 */
export function repairReply(message: Record<string, unknown>, from: string): JSONRPCMessage {
	const {id} = message;
	const isReply = 'id' in message && !('method' in message);
	if (!isReply || (typeof id !== 'string' && typeof id !== 'number')) {
		return message as JSONRPCMessage;
	}

	const problem = replyProblem(message);
	if (problem === undefined) {
		return message as JSONRPCMessage;
	}

	return {jsonrpc: '2.0', id, error: {code: -32_603, message: `${from} sent an invalid reply: ${problem}`}};
}

function replyProblem(message: Record<string, unknown>): string | undefined {
	if ('error' in message) {
		const {error} = message;
		return isRecord(error) && typeof error.code === 'number' && typeof error.message === 'string'
			? undefined
			: '"error" is not an object with a numeric "code" and a "message"';
	}

	if (!('result' in message)) {
		return 'it has neither "result" nor "error"';
	}

	const {result} = message;
	return isRecord(result)
		? undefined
		: `"result" is ${result === null ? 'null' : Array.isArray(result) ? 'an array' : `a ${typeof result}`}, not an object`;
}
