/** A `${VAR}` reference with no value and no default. */
export class UnsetVariableError extends Error {
	override readonly name = 'UnsetVariableError';

	constructor(readonly variable: string) {
		super(`\${${variable}} is not set`);
	}
}

const REFERENCE = /\$\{([^}]+)\}/g;
const DEFAULT_SEPARATOR = ':-';

/**
 * Expands `${VAR}` and `${VAR:-default}` the way Claude Code does in `.mcp.json`, so an
 * entry copied from there behaves the same: a variable that is set wins even when empty
 * (unlike the shell's `:-`), and the default is used only when the variable is unset.
 */
export function expandString(value: string, env: NodeJS.ProcessEnv): string {
	return value.replace(REFERENCE, (_reference, body: string) => {
		const separator = body.indexOf(DEFAULT_SEPARATOR);
		const variable = separator === -1 ? body : body.slice(0, separator);
		const fromEnv = env[variable];
		if (fromEnv !== undefined) return fromEnv;
		if (separator !== -1) return body.slice(separator + DEFAULT_SEPARATOR.length);
		throw new UnsetVariableError(variable);
	});
}
