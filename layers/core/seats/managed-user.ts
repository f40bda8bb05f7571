/**
 * Which Connect users peakline may delete: only those it created. Every user the seats CLI creates carries
 * the tag `peakline:managed=<stage>`, and the revokers' IAM allows DeleteUser only on users with that tag
 * (`aws:ResourceTag/peakline:managed`), so a bug, a hand-edited seat item or a username that matches a
 * permanent employee can never take away an account peakline did not make. The stage in the value keeps
 * two stages sharing one Connect instance out of each other's users.
 */

/** The tag key; Connect allows `:` in tag keys, and IAM condition keys take it as written. */
export const MANAGED_USER_TAG_KEY = 'peakline:managed';

export interface ManagedUserTag {
  readonly key: string;
  readonly value: string;
}

/** The tag a stage's users carry. */
export const managedUserTag = (stage: string): ManagedUserTag => ({
  key: MANAGED_USER_TAG_KEY,
  value: stage,
});

/** True when a user's tags say this stage of peakline created it. */
export const isManagedUser = (
  tags: Readonly<Record<string, string>> | undefined,
  tag: ManagedUserTag,
): boolean => tags?.[tag.key] === tag.value;

/** What refusing to delete an untagged user says, wherever it is refused (adapter, local stand-in). */
export const unmanagedUserMessage = (userId: string, tag: ManagedUserTag): string =>
  `User "${userId}" is not tagged ${tag.key}=${tag.value}: peakline did not create it (or created it before users were tagged; see "Seasonal seats" in the README), so it may not delete it.`;
