import {
  type DocumentClient,
  GetCommand,
  isConditionalCheckFailed,
  isTransactionCanceled,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from './document-client.js';
import {
  isExpiredAt,
  isSeatType,
  type RevokedBy,
  type Seat,
  type SeatReadOptions,
  type SeatState,
  type SeatStore,
  type SeatType,
  tierOf,
} from '#core/seats/seat.js';
import { queryDue } from './query-due.js';

/**
 * How long a revoked seat is kept: a year and a month, so that "what did last season cost" can still be
 * answered when the next season is planned, and the audit shows who lost access when and why.
 */
export const REVOKED_RETENTION_DAYS = 400;

/** The sparse index's partition value: present on every seat that holds, or may hold, a Connect user. */
const ACTIVE = 'ACTIVE';
/**
 * The same index's other partition: revocations whose SeatRevoked is not yet known to be on the bus. A
 * second partition of the sweep index rather than an index of its own: the sweeper reads both, and the
 * table keeps one sparse index.
 */
const UNANNOUNCED = 'UNANNOUNCED';
const INDEX = 'active-by-expiry';
const DAY_SECONDS = 86_400;
/** Writing a seat retries this often when another writer changes the same username in between. */
const PUT_ATTEMPTS = 3;

const STATES: readonly SeatState[] = ['PENDING', 'ACTIVE', 'REVOKED'];
const REVOKERS: readonly RevokedBy[] = ['sweeper', 'ttl-backstop', 'ops'];

type Item = Record<string, unknown>;

/**
 * Seats holding (or about to hold) a Connect user whose contract has not ended at `now`: the seats the
 * season is paying for, the `SeatsActive` gauge. A COUNT query of the sparse index's ACTIVE partition, so
 * it reads the live seats only, never the revoked ones kept for the report.
 */
export const countActiveSeats = async (
  client: DocumentClient,
  tableName: string,
  now: Date,
): Promise<number> => {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEX,
        KeyConditionExpression: '#active = :active AND #expiresAt > :now',
        ExpressionAttributeNames: { '#active': 'active', '#expiresAt': 'expiresAt' },
        ExpressionAttributeValues: { ':active': ACTIVE, ':now': Math.floor(now.getTime() / 1000) },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return count;
};

const toIso = (value: string | Date): string => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`Not a date: ${JSON.stringify(value)}.`);
  return date.toISOString();
};

/** Rounded up, so that the TTL never deletes a seat before its contract has ended. */
const epochSeconds = (iso: string): number => Math.ceil(Date.parse(iso) / 1000);

/**
 * Where a revoked seat is kept once the username is given a new seat (an agent back for the next season,
 * or re-added after a mistaken revoke). `#` cannot occur in a Connect username, so the key never meets a
 * live seat's; keying by the period's start makes writing the same record twice harmless.
 */
const archiveKey = (username: string, validFrom: string): string => `${username}#${validFrom}`;

/**
 * Seats on DynamoDB, one item per username (see TABLES.seats).
 *
 * Times are ISO-8601 in UTC, except `expiresAt`, the TTL attribute, in epoch seconds. While a seat holds
 * (or may hold) a Connect user it carries `active`, which puts it in the sparse `active-by-expiry` index,
 * and its TTL is the contract's end, so a seat the sweeper missed is deleted by DynamoDB and revoked by
 * the stream backstop. PENDING seats are in the index too: an import that crashed after CreateUser leaves
 * a user behind that must not outlive the contract.
 *
 * A revoked seat moves to the index's UNANNOUNCED partition until its SeatRevoked is on the bus (write,
 * announce, settle: `settleAnnouncement` takes it out of the index), and its TTL moves to the revocation
 * plus REVOKED_RETENTION_DAYS: the
 * seat-days report and the audit need it long after the contract. The contract's end stays in
 * `contractEnd` (which a Seat reads as `expiresAt`). When that retention TTL deletes it, the stream
 * record's old image says REVOKED, and the backstop has nothing to do.
 */
export class DynamoSeatStore implements SeatStore {
  private readonly retentionSeconds: number;

  constructor(
    private readonly client: DocumentClient,
    private readonly tableName: string,
    options: { readonly revokedRetentionDays?: number } = {},
  ) {
    this.retentionSeconds = (options.revokedRetentionDays ?? REVOKED_RETENTION_DAYS) * DAY_SECONDS;
  }

  async put(seat: Seat): Promise<'created' | 'exists'> {
    const item = this.toItem(seat);
    for (let attempt = 0; attempt < PUT_ATTEMPTS; attempt += 1) {
      if (await this.putIfAbsent(item)) return 'created';
      const { Item: old } = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: { username: seat.username }, ConsistentRead: true }),
      );
      // Gone in between (TTL): the slot is free again.
      if (old === undefined) continue;
      // Whatever is not revoked may still hold a Connect user, and overwriting it would lose the user id.
      if (old.state !== 'REVOKED') return 'exists';
      if (await this.replaceRevoked(old, item)) return 'created';
    }
    throw new Error(`The seat of ${seat.username} kept changing while it was being written; try again.`);
  }

  async markActive(username: string, userId: string): Promise<Seat | undefined> {
    return this.update(username, {
      UpdateExpression: 'SET #state = :active, #userId = :userId',
      // A different user id would orphan the Connect user already recorded.
      ConditionExpression:
        'attribute_exists(#username) AND #state <> :revoked AND (attribute_not_exists(#userId) OR #userId = :userId)',
      ExpressionAttributeNames: { '#state': 'state', '#userId': 'userId' },
      ExpressionAttributeValues: { ':active': 'ACTIVE', ':userId': userId },
    });
  }

  async get(username: string, now: Date, options: SeatReadOptions = {}): Promise<Seat | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { username }, ConsistentRead: true }),
    );
    return Item !== undefined && this.isVisible(Item, now, options) ? fromItem(Item) : undefined;
  }

  async list(now: Date, options: SeatReadOptions = {}): Promise<Seat[]> {
    const seats: Seat[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({ TableName: this.tableName, ConsistentRead: true, ExclusiveStartKey: startKey }),
      );
      for (const item of page.Items ?? []) if (this.isVisible(item, now, options)) seats.push(fromItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return seats.sort(
      (a, b) => a.username.localeCompare(b.username, 'en') || a.validFrom.localeCompare(b.validFrom, 'en'),
    );
  }

  async dueForRevocation(now: Date, limit: number): Promise<Seat[]> {
    const items = await queryDue(this.client, {
      tableName: this.tableName,
      indexName: INDEX,
      partition: { name: 'active', value: ACTIVE },
      sortKey: { name: 'expiresAt', upTo: Math.floor(now.getTime() / 1000) },
      limit,
    });
    return items.map(fromItem);
  }

  async extend(username: string, newExpiresAt: Date, now: Date): Promise<Seat | undefined> {
    if (newExpiresAt.getTime() <= now.getTime()) {
      throw new RangeError(
        `The new end of ${username}'s seat (${newExpiresAt.toISOString()}) has already passed; to end a seat now, revoke it.`,
      );
    }
    const end = newExpiresAt.toISOString();
    return this.update(username, {
      // The TTL attribute is also the index's sort key, so the sweeper sees the new end at once.
      UpdateExpression: 'SET #contractEnd = :end, #expiresAt = :ttl',
      // Once the contract has ended the seat counts as gone, even if the sweeper has not revoked it yet.
      ConditionExpression:
        'attribute_exists(#username) AND #state <> :revoked AND #contractEnd > :now AND #validFrom < :end',
      ExpressionAttributeNames: {
        '#state': 'state',
        '#contractEnd': 'contractEnd',
        '#expiresAt': 'expiresAt',
        '#validFrom': 'validFrom',
      },
      ExpressionAttributeValues: { ':end': end, ':ttl': epochSeconds(end), ':now': now.toISOString() },
    });
  }

  async changeType(username: string, type: SeatType): Promise<Seat | undefined> {
    const tier = tierOf(type);
    return this.update(username, {
      UpdateExpression:
        tier === undefined ? 'SET #type = :type REMOVE #tier' : 'SET #type = :type, #tier = :tier',
      ConditionExpression: 'attribute_exists(#username) AND #state <> :revoked',
      ExpressionAttributeNames: { '#type': 'type', '#tier': 'tier', '#state': 'state' },
      ExpressionAttributeValues: { ':type': type, ...(tier === undefined ? {} : { ':tier': tier }) },
    });
  }

  async markRevoked(username: string, by: RevokedBy, now: Date): Promise<Seat | undefined> {
    const revokedAt = now.toISOString();
    return this.update(username, {
      // Leaving the ACTIVE partition ends the sweeper's interest in the user; the UNANNOUNCED one keeps the
      // announcement owed until it is settled. The new TTL keeps the record for the report.
      UpdateExpression:
        'SET #state = :revoked, #revokedAt = :at, #revokedBy = :by, #expiresAt = :retainUntil, #active = :unannounced',
      // Only one of the sweeper, the backstop and ops revokes, and only that one emits SeatRevoked.
      ConditionExpression: 'attribute_exists(#username) AND #state <> :revoked',
      ExpressionAttributeNames: {
        '#state': 'state',
        '#revokedAt': 'revokedAt',
        '#revokedBy': 'revokedBy',
        '#expiresAt': 'expiresAt',
        '#active': 'active',
      },
      ExpressionAttributeValues: {
        ':at': revokedAt,
        ':by': by,
        ':retainUntil': epochSeconds(revokedAt) + this.retentionSeconds,
        ':unannounced': UNANNOUNCED,
      },
    });
  }

  async unannouncedRevocations(limit: number): Promise<Seat[]> {
    const items = await queryDue(this.client, {
      tableName: this.tableName,
      indexName: INDEX,
      partition: { name: 'active', value: UNANNOUNCED },
      // Every one, whatever its retention; the sort key (the retention TTL) puts the oldest first.
      sortKey: { name: 'expiresAt', upTo: Number.MAX_SAFE_INTEGER },
      limit,
    });
    return items.map(fromItem);
  }

  async settleAnnouncement(seat: Seat): Promise<boolean> {
    // The revocation is under the username, or under its archive key once the username was given a new
    // seat (or when the backstop recorded it); the condition names this very revocation either way.
    for (const key of [seat.username, archiveKey(seat.username, toIso(seat.validFrom))]) {
      const settled = await this.update(key, {
        UpdateExpression: 'REMOVE #active',
        ConditionExpression:
          'attribute_exists(#username) AND #state = :revoked AND #active = :unannounced AND #validFrom = :validFrom AND #revokedAt = :revokedAt',
        ExpressionAttributeNames: {
          '#state': 'state',
          '#active': 'active',
          '#validFrom': 'validFrom',
          '#revokedAt': 'revokedAt',
        },
        ExpressionAttributeValues: {
          ':unannounced': UNANNOUNCED,
          ':validFrom': toIso(seat.validFrom),
          ':revokedAt': seat.revokedAt === undefined ? '' : toIso(seat.revokedAt),
        },
      });
      if (settled !== undefined) return true;
    }
    return false;
  }

  async recordRevoked(seat: Seat, by: RevokedBy, now: Date): Promise<Seat | undefined> {
    const revoked: Seat = {
      ...seat,
      state: 'REVOKED',
      revokedAt: now.toISOString(),
      revokedBy: by,
      announced: false,
    };
    const item = this.toItem(revoked, archiveKey(seat.username, toIso(seat.validFrom)));
    // A stream record delivered twice is recorded (and announced) once.
    return (await this.putIfAbsent(item)) ? fromItem(item) : undefined;
  }

  private async putIfAbsent(item: Item): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#username)',
          ExpressionAttributeNames: { '#username': 'username' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  /** Moves a revoked seat to its archive key and writes the new seat in its place, both or neither. */
  private async replaceRevoked(old: Item, item: Item): Promise<boolean> {
    const username = String(old.username);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...old, username: archiveKey(username, String(old.validFrom)) },
              },
            },
            {
              Put: {
                TableName: this.tableName,
                Item: item,
                // Still the revoked seat that was read, not one written in between.
                ConditionExpression: '#state = :revoked AND #revokedAt = :revokedAt',
                ExpressionAttributeNames: { '#state': 'state', '#revokedAt': 'revokedAt' },
                ExpressionAttributeValues: { ':revoked': 'REVOKED', ':revokedAt': old.revokedAt },
              },
            },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isTransactionCanceled(error)) return false;
      throw error;
    }
  }

  /** A conditional update on a live seat: the seat as it now is, or undefined when the condition failed. */
  private async update(
    username: string,
    input: {
      readonly UpdateExpression: string;
      readonly ConditionExpression: string;
      readonly ExpressionAttributeNames: Record<string, string>;
      readonly ExpressionAttributeValues: Record<string, unknown>;
    },
  ): Promise<Seat | undefined> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { username },
          UpdateExpression: input.UpdateExpression,
          ConditionExpression: input.ConditionExpression,
          ExpressionAttributeNames: { '#username': 'username', ...input.ExpressionAttributeNames },
          ExpressionAttributeValues: { ':revoked': 'REVOKED', ...input.ExpressionAttributeValues },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes === undefined ? undefined : fromItem(Attributes);
    } catch (error) {
      if (isConditionalCheckFailed(error)) return undefined;
      throw error;
    }
  }

  private isVisible(item: Item, now: Date, options: SeatReadOptions): boolean {
    if (item.state === 'REVOKED') {
      // A revoked seat's TTL is its retention; past it the record counts as gone, like any expired item.
      return options.includeRevoked === true && Number(item.expiresAt) * 1000 > now.getTime();
    }
    // TTL deletes lazily (up to days later on AWS); an ended contract is treated as already gone.
    return options.includeExpired === true || !isExpiredAt({ expiresAt: String(item.contractEnd) }, now);
  }

  private toItem(seat: Seat, key: string = seat.username): Item {
    const contractEnd = toIso(seat.expiresAt);
    const revoked = seat.state === 'REVOKED';
    if (revoked && (seat.revokedAt === undefined || seat.revokedBy === undefined)) {
      throw new TypeError(`The revoked seat of ${seat.username} needs revokedAt and revokedBy.`);
    }
    const revokedAt = revoked && seat.revokedAt !== undefined ? toIso(seat.revokedAt) : undefined;
    const tier = tierOf(seat.type);
    return {
      username: key,
      ...(seat.userId === undefined ? {} : { userId: seat.userId }),
      type: seat.type,
      ...(tier === undefined ? {} : { tier }),
      firstName: seat.firstName,
      lastName: seat.lastName,
      email: seat.email,
      validFrom: toIso(seat.validFrom),
      contractEnd,
      state: seat.state,
      ...(revokedAt === undefined
        ? { active: ACTIVE, expiresAt: epochSeconds(contractEnd) }
        : {
            revokedAt,
            revokedBy: seat.revokedBy,
            expiresAt: epochSeconds(revokedAt) + this.retentionSeconds,
            // Written, then announced, then settled: unannounced until settleAnnouncement.
            ...(seat.announced === false ? { active: UNANNOUNCED } : {}),
          }),
    };
  }
}

/** A seat from its item, as stored or as a stream record's old image carries it (unmarshalled). */
export const seatFromItem = (item: Item): Seat => fromItem(item);

const fromItem = (item: Item): Seat => {
  const key = String(item.username);
  const { type, state, revokedBy, tier, userId, revokedAt } = item;
  if (!isSeatType(type) || !STATES.includes(state as SeatState)) {
    throw new Error(
      `The seat item ${JSON.stringify(key)} is malformed (type ${String(type)}, state ${String(state)}).`,
    );
  }
  return {
    // An archived seat's key is username#validFrom.
    username: key.split('#')[0] ?? key,
    ...(typeof userId === 'string' ? { userId } : {}),
    type,
    ...(typeof tier === 'number' ? { tier } : {}),
    firstName: String(item.firstName ?? ''),
    lastName: String(item.lastName ?? ''),
    email: String(item.email ?? ''),
    validFrom: String(item.validFrom),
    expiresAt: String(item.contractEnd),
    state: state as SeatState,
    ...(typeof revokedAt === 'string' ? { revokedAt } : {}),
    ...(REVOKERS.includes(revokedBy as RevokedBy) ? { revokedBy: revokedBy as RevokedBy } : {}),
    // A revocation recorded before announcements were settled carries no `active`: it was announced then.
    ...(state === 'REVOKED' ? { announced: item.active !== UNANNOUNCED } : {}),
  };
};
