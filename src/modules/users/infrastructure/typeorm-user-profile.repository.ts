import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { UserProfile } from '../domain/user-profile.js';
import { UserProfileRepository } from '../domain/user-profile.repository.js';
import { UserProfileOrmEntity } from './user-profile.orm-entity.js';

@Injectable()
export class TypeOrmUserProfileRepository extends UserProfileRepository {
  constructor(@InjectRepository(UserProfileOrmEntity) private readonly rows: Repository<UserProfileOrmEntity>) {
    super();
  }

  async findByUserId(userId: string): Promise<UserProfile | null> {
    const row = await this.rows.findOneBy({ userId });
    return row ? { userId: row.userId, locale: row.locale, timeZone: row.timeZone, createdAt: row.createdAt } : null;
  }

  /** One statement: the user-exists check and the insert cannot race with a delete. */
  async createIfMissing(profile: UserProfile): Promise<void> {
    await this.rows.query(
      `INSERT INTO user_profiles (user_id, locale, time_zone, created_at)
       SELECT id, $2, $3, $4 FROM users WHERE id = $1
       ON CONFLICT (user_id) DO NOTHING`,
      [profile.userId, profile.locale, profile.timeZone, profile.createdAt],
    );
  }
}
