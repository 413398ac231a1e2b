import type { z } from "zod";
import type { OperationId, Operations } from "@/lib/api/operations";

type Field<Id extends OperationId, K extends string> = K extends keyof Operations[Id] ? Operations[Id][K] : undefined;
type Given<K extends string, S> = [S] extends [z.ZodType] ? { [P in K]: z.input<S> } : { [P in K]?: never };

/** What a call of operation `Id` takes: its params, query and body, each only where it has one. */
export type InputOf<Id extends OperationId> = Given<"params", Field<Id, "params">> & Partial<Given<"query", Field<Id, "query">>> & Given<"body", Field<Id, "body">>;

/** What it answers (after the server's output check); undefined for no content. */
export type OutputOf<Id extends OperationId> = Field<Id, "output"> extends z.ZodType ? z.output<Field<Id, "output">> : undefined;

/** The input argument, optional where the operation takes nothing required. */
export type InputArg<Id extends OperationId> = Record<never, never> extends InputOf<Id> ? [input?: InputOf<Id>] : [input: InputOf<Id>];
