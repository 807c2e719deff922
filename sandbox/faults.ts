import { z } from 'zod';

/** Faults tests ask for through `/_sandbox/faults`: latency, error statuses, dropped connections, servers that never answer. */
export const faultSchema = z
  .object({
    match: z
      .object({
        method: z.string().min(1).optional(),
        pathRegex: z.string().min(1).optional(),
        host: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    status: z.union([z.literal(403), z.literal(429), z.literal(500), z.literal(503)]).optional(),
    retryAfter: z.number().int().min(0).max(3600).optional(),
    drop: z.literal(true).optional(),
    /**
     * The connection is accepted and no answer ever comes, until the client gives up: a hung
     * application pool on Azure DevOps Server, or a firewall that swallows the packets.
     */
    hang: z.literal(true).optional(),
    times: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((f) => f.latencyMs !== undefined || f.status !== undefined || f.drop || f.hang, {
    message: 'a fault needs latencyMs, status, drop or hang',
  })
  .refine((f) => [f.drop, f.status, f.hang].filter(Boolean).length <= 1, { message: 'drop, status and hang exclude each other' })
  .refine((f) => f.match.pathRegex === undefined || isRegex(f.match.pathRegex), { message: 'match.pathRegex is not a valid regular expression' });

export type FaultSpec = z.infer<typeof faultSchema>;

export interface Fault extends FaultSpec {
  id: string;
  /** Uses left; undefined = until cleared. */
  remaining?: number;
}

export class Faults {
  private rules: Fault[] = [];
  private counter = 0;

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: `fault-${++this.counter}`, remaining: spec.times };
    this.rules.push(fault);
    return fault;
  }

  clear(): void {
    this.rules = [];
  }

  list(): Fault[] {
    return [...this.rules];
  }

  /** The first rule matching the request, with one use counted. */
  take(method: string, host: string, path: string): Fault | undefined {
    const rule = this.rules.find(
      (r) =>
        (!r.match.method || r.match.method.toUpperCase() === method.toUpperCase()) &&
        (!r.match.host || r.match.host.toLowerCase() === host.toLowerCase()) &&
        (!r.match.pathRegex || new RegExp(r.match.pathRegex).test(path)),
    );
    if (rule?.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return rule;
  }
}

function isRegex(s: string): boolean {
  try {
    return RegExp(s) instanceof RegExp;
  } catch {
    return false;
  }
}
