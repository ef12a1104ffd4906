import {z} from 'zod';

/**
 * A proxy passes results on as the server sent them: parsing them with the SDK's schemas would
 * drop fields it does not know and cost time on every call.
 */
export const anyResult = z.custom<Record<string, unknown>>(value => typeof value === 'object' && value !== null);
