/**
 * The platform's domain errors: what a use case or a rule says went wrong, in the product's
 * words, with no HTTP in sight. The HTTP layer maps them to problem+json in one place
 * (shared/platform/http/problem.ts); a module maps its own errors in its `errors.ts`.
 */
export interface FieldError {
  /** The field, as the client sent it: `idNumber`, `items.3.gridId`, `query.limit`, `If-Match`. */
  path: string;
  message: string;
}

export class AppError extends Error {}

/** The request names something invalid: each field and what is wrong with it. */
export class InvalidInput extends AppError {
  constructor(
    readonly errors: FieldError[],
    readonly detail = errors.length === 1 ? `${errors[0]?.path}: ${errors[0]?.message}` : 'invalid fields',
  ) {
    super(detail);
  }
  static field(path: string, message: string): InvalidInput {
    return new InvalidInput([{ path, message }]);
  }
}

/** Unknown here — including anything of another tenant. */
export class NotFound extends AppError {
  constructor(readonly what: string) {
    super(`No such ${what}.`);
  }
}

/** The caller's role or grid scope does not allow this. */
export class Forbidden extends AppError {}

/** The caller is not (or no longer) known. */
export class Unauthorized extends AppError {}

/** The record's state does not allow this (e.g. it is not active, or a duplicate exists). */
export class Conflict extends AppError {
  constructor(
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** `If-Match` names a version that is not the current one. */
export class PreconditionFailed extends AppError {
  constructor(readonly currentVersion: number) {
    super(`If-Match does not match the current version (${currentVersion}).`);
  }
}
