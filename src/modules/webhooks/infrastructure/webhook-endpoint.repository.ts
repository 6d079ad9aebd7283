import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { WebhookEndpoint } from '../domain/webhook-endpoint.js';
import { SecretBox } from './secret-box.js';

interface EndpointRow {
  id: string;
  owner_id: string;
  url: string;
  description: string;
  secret_ciphertext: string;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, owner_id, url, description, secret_ciphertext, previous_secret_ciphertext,
  previous_secret_expires_at, created_at, updated_at`;

/** What each sealed secret is bound to: its row and its slot. */
const context = (id: string, slot: 'current' | 'previous') => `webhook-endpoint:${id}:${slot}`;

/**
 * Webhook endpoints in PostgreSQL (`webhook_endpoints`), with their secrets sealed by
 * {@link SecretBox}. Every read takes an owner filter (null only for admins), so an
 * endpoint of another owner is simply not found.
 */
@Injectable()
export class WebhookEndpointRepository {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly box: SecretBox,
  ) {}

  /**
   * Stores `endpoint` unless its owner already has `limit` endpoints; false then. The count and
   * the insert run under a per-owner advisory lock, so concurrent creations cannot pass the cap.
   */
  async insertWithin(endpoint: WebhookEndpoint, limit: number): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(hashtext('webhook_endpoints:' || $1))`, [endpoint.ownerId]);
      const [{ count }] = (await manager.query(
        `SELECT count(*)::int AS count FROM webhook_endpoints WHERE owner_id = $1`,
        [endpoint.ownerId],
      )) as { count: number }[];
      if (count >= limit) return false;
      await manager.query(`INSERT INTO webhook_endpoints (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        endpoint.id,
        endpoint.ownerId,
        endpoint.url,
        endpoint.description,
        this.box.seal(endpoint.secret, context(endpoint.id, 'current')),
        null,
        null,
        endpoint.createdAt,
        endpoint.updatedAt,
      ]);
      return true;
    });
  }

  /** The endpoint, if it exists and belongs to `ownerId` (any owner when null). */
  async find(id: string, ownerId: string | null): Promise<WebhookEndpoint | undefined> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_endpoints WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2::uuid)`,
      [id, ownerId],
    )) as EndpointRow[];
    return rows[0] && this.toEndpoint(rows[0]);
  }

  /** Whether the endpoint exists for `ownerId` (any owner when null), without decrypting anything. */
  async exists(id: string, ownerId: string | null): Promise<boolean> {
    const rows = (await this.db.query(
      `SELECT 1 FROM webhook_endpoints WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2::uuid)`,
      [id, ownerId],
    )) as unknown[];
    return rows.length > 0;
  }

  /** `ownerId`'s endpoints, newest first, before `beforeId` (keyset). */
  async list(ownerId: string, limit: number, beforeId?: string): Promise<WebhookEndpoint[]> {
    const rows = (await this.db.query(
      `SELECT ${COLUMNS} FROM webhook_endpoints
        WHERE owner_id = $1 AND ($2::uuid IS NULL OR id < $2::uuid)
        ORDER BY id DESC LIMIT $3`,
      [ownerId, beforeId ?? null, limit],
    )) as EndpointRow[];
    return rows.map((row) => this.toEndpoint(row));
  }

  async saveSecrets(endpoint: WebhookEndpoint): Promise<void> {
    await this.db.query(
      `UPDATE webhook_endpoints
          SET secret_ciphertext = $2, previous_secret_ciphertext = $3, previous_secret_expires_at = $4, updated_at = $5
        WHERE id = $1`,
      [
        endpoint.id,
        this.box.seal(endpoint.secret, context(endpoint.id, 'current')),
        endpoint.previousSecret === null
          ? null
          : this.box.seal(endpoint.previousSecret, context(endpoint.id, 'previous')),
        endpoint.previousSecretExpiresAt,
        endpoint.updatedAt,
      ],
    );
  }

  /** Deletes the endpoint if `ownerId` may (any owner when null); false when there was none to delete. */
  async delete(id: string, ownerId: string | null): Promise<boolean> {
    const [, affected] = (await this.db.query(
      `DELETE FROM webhook_endpoints WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2::uuid)`,
      [id, ownerId],
    )) as [unknown, number];
    return affected > 0;
  }

  private toEndpoint(row: EndpointRow): WebhookEndpoint {
    return {
      id: row.id,
      ownerId: row.owner_id,
      url: row.url,
      description: row.description,
      secret: this.box.open(row.secret_ciphertext, context(row.id, 'current')),
      previousSecret:
        row.previous_secret_ciphertext === null
          ? null
          : this.box.open(row.previous_secret_ciphertext, context(row.id, 'previous')),
      previousSecretExpiresAt: row.previous_secret_expires_at,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
