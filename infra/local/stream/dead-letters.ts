/**
 * The on-failure destination of the local event source mapping: one JSON file per failed batch
 * in a `dead-letters/` directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AttributeValue as LambdaAttributeValue } from 'aws-lambda';
import { firstLine, isErrnoException } from './util.js';

/** A dead-letter file's content: the on-failure destination of the event source mapping. */
export interface DeadLetter {
  subscription: string;
  tableName: string;
  streamArn: string;
  shardId: string;
  startSequenceNumber: string;
  endSequenceNumber: string;
  batchSize: number;
  attempts: number;
  error: string;
  failedAt: string;
  /**
   * Which records failed — ids, sequence numbers and keys only, never the images (they hold
   * personal data; keys never do). Like the SQS on-failure message on AWS, it tells an operator
   * where to look, not what was written.
   */
  records: DeadLetterRecord[];
}

export interface DeadLetterRecord {
  eventID?: string;
  eventName?: string;
  sequenceNumber?: string;
  keys?: Record<string, LambdaAttributeValue>;
}

export interface DeadLetterStoreOptions {
  /** The `dead-letters` directory. */
  dir: string;
  /** Log prefix, e.g. `[stream:statistics]`. */
  label: string;
  log: (msg: string) => void;
}

export class DeadLetterStore {
  constructor(private readonly opts: DeadLetterStoreOptions) {}

  /** Write one dead letter (stamped with the current time); resolves to its path. */
  async write(letter: Omit<DeadLetter, 'failedAt'>): Promise<string> {
    const { dir, label, log } = this.opts;
    await mkdir(dir, { recursive: true });
    const failedAt = new Date();
    const name = `${failedAt.toISOString().replace(/[:.]/g, '-')}-${letter.shardId}.json`;
    let path = join(dir, name);
    const { subscription, tableName, streamArn, ...rest } = letter;
    const body: DeadLetter = {
      subscription,
      tableName,
      streamArn,
      failedAt: failedAt.toISOString(),
      ...rest,
    };
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, `${JSON.stringify(body, null, 2)}\n`);
    // Two letters of one shard in the same millisecond: keep both.
    if ((await readdir(dir)).includes(name)) path = path.replace(/\.json$/, `-${randomUUID()}.json`);
    await rename(tmp, path);
    log(
      `${label} DEAD LETTER: ${letter.batchSize} record(s) of ${letter.shardId} (seq ${letter.startSequenceNumber}..${letter.endSequenceNumber}) skipped after ${letter.attempts} attempt(s): ${firstLine(letter.error)} -> ${path}`,
    );
    return path;
  }

  /** Paths of the dead-letter files, oldest first. */
  async list(): Promise<string[]> {
    const { dir } = this.opts;
    try {
      const names = await readdir(dir);
      return names
        .filter((n) => n.endsWith('.json'))
        .sort()
        .map((n) => join(dir, n));
    } catch (err) {
      if (isErrnoException(err) && err.code === 'ENOENT') return [];
      throw err;
    }
  }
}
