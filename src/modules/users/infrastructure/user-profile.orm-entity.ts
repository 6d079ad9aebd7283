import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { UserOrmEntity } from './user.orm-entity.js';

/** The `user_profiles` table: one row per user, deleted with it. */
@Entity({ name: 'user_profiles' })
export class UserProfileOrmEntity {
  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @OneToOne(() => UserOrmEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserOrmEntity;

  @Column({ type: 'varchar', length: 35 })
  locale: string;

  @Column({ type: 'varchar', length: 64 })
  timeZone: string;

  @Column({ type: 'timestamptz' })
  createdAt: Date;
}
