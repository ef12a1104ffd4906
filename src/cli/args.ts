import {parseArgs, type ParseArgsConfig} from 'node:util';

/** A mistake in how a command was called: reported with the command's usage. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** `util.parseArgs` with its errors turned into usage errors and a cap on positionals. */
export function parse<O extends Options>(args: string[], options: O, maxPositionals: number) {
	const parsed = parseStrictly(args, options);
	if (parsed.positionals.length > maxPositionals) {
		throw new UsageError(`unexpected argument "${parsed.positionals[maxPositionals]}"`);
	}

	return parsed;
}

function parseStrictly<O extends Options>(args: string[], options: O) {
	try {
		return parseArgs({args, options, allowPositionals: true, strict: true});
	} catch (error) {
		throw new UsageError((error as Error).message);
	}
}
