import {
  AppError,
  Conflict,
  type FieldError,
  Forbidden,
  InvalidInput,
  NotFound,
  PreconditionFailed,
  Unauthorized,
} from '../errors.js';

export type { FieldError };

/** RFC 9457 problem details: the one way any route reports an error. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail?: string,
    readonly extensions: { errors?: FieldError[]; [k: string]: unknown } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? titles[status] ?? 'Error');
  }

  body(): ProblemBody {
    const title = titles[this.status] ?? 'Error';
    return {
      type: `https://township-registry.example/problems/${title.toLowerCase().replaceAll(' ', '-')}`,
      title,
      status: this.status,
      ...(this.detail ? { detail: this.detail } : {}),
      ...this.extensions,
    };
  }
}

export const problems = {
  validation: (errors: FieldError[], detail = 'The request has invalid fields.') =>
    new HttpProblem(400, detail, { errors }),
  field: (path: string, message: string) =>
    new HttpProblem(400, `${path}: ${message}`, { errors: [{ path, message }] }),
  unauthorized: (detail = 'A valid API key is required: Authorization: Bearer <apiKey>.') =>
    new HttpProblem(401, detail, {}, { 'www-authenticate': 'Bearer' }),
  forbidden: (detail = 'This API key is not allowed to do this.') => new HttpProblem(403, detail),
  notFound: (what = 'resource') => new HttpProblem(404, `No such ${what}.`),
  conflict: (detail: string, extensions: Record<string, unknown> = {}) =>
    new HttpProblem(409, detail, extensions),
  preconditionFailed: (current: number) =>
    new HttpProblem(412, `If-Match does not match the current version (${current}).`, {
      currentVersion: current,
    }),
};

/** A module's mapping of its own domain errors (undefined: not one of its errors). */
export type ProblemMapper = (error: unknown) => HttpProblem | undefined;

/** The platform's domain errors → problem+json: the one place they are mapped. */
export const platformProblem: ProblemMapper = (error) => {
  if (error instanceof HttpProblem) return error;
  if (!(error instanceof AppError)) return undefined;
  if (error instanceof InvalidInput)
    return error.errors.length === 1
      ? new HttpProblem(400, error.detail, { errors: error.errors })
      : problems.validation(error.errors);
  if (error instanceof NotFound) return problems.notFound(error.what);
  if (error instanceof Forbidden) return problems.forbidden(error.message);
  if (error instanceof Unauthorized) return problems.unauthorized(error.message);
  if (error instanceof Conflict) return problems.conflict(error.message, error.extensions);
  if (error instanceof PreconditionFailed) return problems.preconditionFailed(error.currentVersion);
  return undefined;
};

/** Map an error with the module's mapper first, then the platform's; undefined = a bug (500). */
export const toProblem = (error: unknown, moduleProblem?: ProblemMapper): HttpProblem | undefined =>
  moduleProblem?.(error) ?? platformProblem(error);
