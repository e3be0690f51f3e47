/**
 * The `--json` stream's events as TypeScript types, derived from the schema
 * `golive schema` prints (`stream-schema.ts`, json-schema-to-ts `FromSchema`):
 * one member per event type, discriminated by `type`, so an emitter that does
 * not match the schema does not compile. The schema leaves objects open for
 * additions; the types do not, so an emitted field the schema lacks is an error too.
 */
import type {FromSchema} from 'json-schema-to-ts';
import type {streamSchema} from './stream-schema.js';

/** Drops the `[x: string]: unknown` an open schema object derives to, at every depth. */
type Closed<T> = T extends readonly (infer Item)[] ? Closed<Item>[] : T extends object ? {[K in keyof T as string extends K ? never : K]: Closed<T[K]>} : T;

/** One line of the `--json` stream. */
export type StreamEvent = Closed<FromSchema<{oneOf: typeof streamSchema.oneOf}>>;
export type StreamEventType = StreamEvent['type'];
/** The event whose `type` is `T`. */
export type StreamEventOf<T extends StreamEventType> = Extract<StreamEvent, {type: T}>;
