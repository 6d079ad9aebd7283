import { isErrorLike } from '../../shared/error-like.js';

/**
 * Replies of a Redis that cannot serve now: still loading its data after a restart, a replica
 * without its primary, a cluster that is not ready.
 */
const UNAVAILABLE_REPLIES = ['LOADING', 'MASTERDOWN', 'CLUSTERDOWN', 'TRYAGAIN', 'READONLY'];

/**
 * Whether `error` is ioredis saying that Redis could not be reached: it gave up on a command
 * after its reconnect attempts (`MaxRetriesPerRequestError`), the connection is closed, or
 * the server answered with one of the replies above. Trying again later may succeed, so a
 * request answers 503, not 500.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!isErrorLike(error)) return false;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (error.message === 'Connection is closed.' || error.message.startsWith("Stream isn't writeable")) return true;
  return error.name === 'ReplyError' && UNAVAILABLE_REPLIES.some((reply) => error.message.startsWith(reply));
}
