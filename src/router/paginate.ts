import {ErrorCode, McpError} from '@modelcontextprotocol/sdk/types.js';

/**
 * Splits a list into pages. The cursor is an opaque offset: lists only change as a whole, and a
 * client told `list_changed` starts over, so nothing finer is needed.
 */
export function paginate<T>(items: readonly T[], cursor: unknown, pageSize: number): {items: readonly T[]; nextCursor?: string} {
	let start = 0;
	if (cursor !== undefined) {
		start = typeof cursor === 'string' ? Number.parseInt(Buffer.from(cursor, 'base64url').toString(), 10) : Number.NaN;
		if (!Number.isSafeInteger(start) || start < 0) {
			throw new McpError(ErrorCode.InvalidParams, `Invalid cursor: ${JSON.stringify(cursor)}`);
		}
	}

	const end = start + pageSize;
	return {
		items: items.slice(start, end),
		...(end < items.length && {nextCursor: Buffer.from(String(end)).toString('base64url')}),
	};
}
