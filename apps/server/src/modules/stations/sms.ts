import type { Kysely } from 'kysely';
import type { PiiCipher } from '../../adapters/crypto.ts';
import type { DB } from '../../db/schema.ts';
import { newId } from '../../ids.ts';
import * as repo from './stations.repository.ts';

/** An SMS gateway. A real one (Aliyun, Tencent Cloud SMS…) implements this beside the default. */
export interface SmsProvider {
  readonly name: string;
  send(db: Kysely<DB>, m: { notificationId: string; to: string; toMasked: string; body: string; bodyMasked: string; at: Date }): Promise<{ ref: string }>;
}

/**
 * The default provider: records each message in the database (sms_messages) instead of sending it,
 * so the console can show what recipients would have received. Number and text are kept encrypted.
 */
export class DbSmsProvider implements SmsProvider {
  readonly name = 'db';
  constructor(private readonly pii: PiiCipher) {}
  async send(db: Kysely<DB>, m: { notificationId: string; to: string; toMasked: string; body: string; bodyMasked: string; at: Date }) {
    const id = newId('sms');
    await repo.insertSms(db, { id, notification_id: m.notificationId, to_enc: this.pii.encrypt(m.to), to_masked: m.toMasked, body_enc: this.pii.encrypt(m.body), body_masked: m.bodyMasked, created_at: m.at });
    return { ref: id };
  }
}
